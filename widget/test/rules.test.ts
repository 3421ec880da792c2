/**
 * One copy of each rule (common/rules.ts): the widget's form checks and the API's schema agree on
 * every name, email, ZIP and phone below: what the widget lets through the API takes, and what the
 * API refuses the widget refuses first, in the supporter's language ("Ana 123" used to pass the widget).
 */
/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { SignatureInput } from '../../worker/src/schemas.ts';
import { validate } from '../src/validate.ts';

const GOOD = { firstName: 'Ana', lastName: 'Ruiz', email: 'ana@example.org', zip: '60076' };
const CASES: [field: keyof typeof GOOD | 'phone', value: string][] = [
  ['lastName', 'Ruiz 123'],
  ['lastName', 'Ruiz'],
  ['firstName', 'María José'],
  ['firstName', "O'Brien-Smith"],
  ['firstName', '=HYPERLINK("x")'],
  ['firstName', 'ana@example.org'],
  ['firstName', 'visit cheap-pills.shop'],
  ['firstName', 'www.example'],
  ['firstName', '<b>Ana</b>'],
  ['firstName', 'Ana\u202Eevil'],
  ['firstName', 'A'.repeat(81)],
  ['email', 'ana@example'],
  ['email', 'ana..ruiz@example.org'],
  ['email', 'ana+petition@example.org'],
  ['email', 'ana @example.org'],
  ['zip', '6007'],
  ['zip', '60076-1234'],
  ['zip', '600761234'],
  ['phone', '(847) 555-0100'],
  ['phone', '555'],
  ['phone', '+1 847 555 0100'],
  ['phone', 'call me'],
];

describe('the widget and the API apply the same rules', () => {
  for (const [field, value] of CASES) {
    it(`${field} = ${JSON.stringify(value)}`, () => {
      const input = { ...GOOD, [field]: value };
      const widgetOk = !validate(input)[field];
      const server = SignatureInput.safeParse(input);
      const serverOk = server.success || !server.error.issues.some((i) => i.path[0] === field);
      expect(widgetOk, `widget ${widgetOk ? 'accepts' : 'refuses'}, API ${serverOk ? 'accepts' : 'refuses'}`).to.equal(serverOk);
    });
  }

  it('refuses "Ana 123" in both', () => {
    expect(validate({ ...GOOD, firstName: 'Ana 123' }).firstName?.key).to.equal('field.firstName.invalid');
    expect(SignatureInput.safeParse({ ...GOOD, firstName: 'Ana 123' }).success).to.equal(false);
  });
});
