/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { LANGS, Localizer, langOf, resolveLocale } from '../src/i18n/index.ts';

describe('i18n', () => {
  it('has the same keys, and the same plural shapes, in every language', () => {
    const enKeys = Object.keys(LANGS.en).sort();
    expect(Object.keys(LANGS.es).sort()).to.deep.equal(enKeys);
    for (const key of enKeys) {
      const k = key as keyof typeof LANGS.en;
      expect(typeof LANGS.es[k], key).to.equal(typeof LANGS.en[k]);
      expect(LANGS.es[k], key).not.to.equal('');
    }
  });

  it('keeps the placeholders of each message in its translation', () => {
    const names = (v: unknown) => [...JSON.stringify(v).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(LANGS.en) as (keyof typeof LANGS.en)[]) {
      expect(names(LANGS.es[key]), key).to.deep.equal(names(LANGS.en[key]));
    }
  });

  it('formats numbers and plurals per language', () => {
    const en = new Localizer('en');
    expect(en.n(30000)).to.equal('30,000');
    expect(en.plural('effort.progress', 1, { count: 1, goal: 2, campaigns: 1 })).to.equal('1 of 2 signatures across 1 local campaign');
    expect(en.distance(5.1)).to.equal('3.2 mi');
    const es = new Localizer('es');
    expect(es.n(30000)).to.equal(new Intl.NumberFormat('es').format(30000));
    expect(es.plural('effort.progress', 9, { count: 1, goal: 2, campaigns: 9 })).to.equal('1 de 2 firmas en 9 campañas locales');
    expect(es.distance(5.1)).to.equal(`${new Intl.NumberFormat('es', { minimumFractionDigits: 1 }).format(5.1)} km`);
  });

  it('resolves the language: own, then ancestor, then navigator; unsupported → en', () => {
    const outer = document.createElement('div');
    outer.lang = 'es-MX';
    const inner = document.createElement('span');
    outer.append(inner);
    expect(resolveLocale(inner)).to.equal('es-MX');
    expect(resolveLocale(inner, 'en')).to.equal('en');
    expect(resolveLocale(inner, 'fr')).to.equal('en');
    expect(langOf('ES_us')).to.equal('es');
    expect(langOf('de')).to.equal('en');
  });
});
