import { css } from 'lit';
import views from './views/views.styles.ts';

/**
 * Theme: every colour, font and radius is a `--sanctuary-*` custom property read with a fallback,
 * so a partner sets them once on `:root`. Sizes are in px (partner pages often set
 * `html { font-size: 62.5% }`, which would shrink rem-based sizes). Mobile first: works from 280px.
 * No inline styles anywhere (a strict CSP blocks `style` attributes): state is expressed by classes.
 */
const base = css`
  /*
   * The host box. A host page's rules on the element itself (even \`* { all: unset }\`) win over
   * :host for normal declarations, so the few that keep the widget whole are !important (inside a
   * shadow root, !important beats the page's !important too). Hide it with the hidden attribute.
   */
  :host {
    display: block !important;
    box-sizing: border-box !important;
    min-width: 0 !important;
    max-width: 100% !important;
    visibility: visible !important;
    opacity: 1 !important;
    contain: layout style;
    /* The layout follows the widget's own width (a narrow sidebar on a wide screen stays one column). */
    container-type: inline-size !important;
  }
  :host([hidden]) {
    display: none !important;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }

  /*
   * Everything inherited from the page is reset here (\`all: initial\` leaves custom properties alone,
   * so --sanctuary-* set on :root still reach us). Sizes are px: \`html { font-size: 62.5% }\` on the
   * page changes nothing.
   */
  .container {
    all: initial;
    display: block;
    box-sizing: border-box;
    --_accent: var(--sanctuary-color-accent, #a4161a);
    --_on-accent: var(--sanctuary-color-on-accent, #ffffff);
    --_text: var(--sanctuary-color-text, #1c1b1a);
    --_muted: var(--sanctuary-color-muted, #55524e);
    --_bg: var(--sanctuary-color-background, #ffffff);
    --_surface: var(--sanctuary-color-surface, #f6f4f1);
    --_border: var(--sanctuary-color-border, #767676);
    --_frame: var(--sanctuary-color-frame, #d9d4cc);
    --_error: var(--sanctuary-color-error, #b3261e);
    --_success: var(--sanctuary-color-success, #1e6b34);
    --_focus: var(--sanctuary-color-focus, #0b57d0);
    --_progress: var(--sanctuary-color-progress, var(--_accent));
    --_track: var(--sanctuary-color-progress-track, #e4e0da);
    --_radius: var(--sanctuary-radius, 8px);
    --_space: var(--sanctuary-space, 16px);
    color-scheme: light;
    font-family: var(--sanctuary-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif);
    font-size: var(--sanctuary-font-size, 16px);
    line-height: 1.5;
    text-align: start;
    overflow-wrap: anywhere;
    background: var(--_bg);
    color: var(--_text);
    border: 1px solid var(--_frame);
    border-radius: var(--_radius);
    padding: var(--_space);
    min-width: 0;
    min-height: 120px;
  }
  /* Dark theme (theme="dark", or "auto" on a dark system): the same custom properties, dark fallbacks. */
  .container.dark {
    --_accent: var(--sanctuary-color-accent, #ffb4a8);
    --_on-accent: var(--sanctuary-color-on-accent, #2b0a07);
    --_text: var(--sanctuary-color-text, #f3f0ec);
    --_muted: var(--sanctuary-color-muted, #c9c3bb);
    --_bg: var(--sanctuary-color-background, #1d1b19);
    --_surface: var(--sanctuary-color-surface, #2a2724);
    --_border: var(--sanctuary-color-border, #9a948d);
    --_frame: var(--sanctuary-color-frame, #4a4541);
    --_error: var(--sanctuary-color-error, #ffb4ab);
    --_success: var(--sanctuary-color-success, #8fd6a0);
    --_focus: var(--sanctuary-color-focus, #a8c7fa);
    --_track: var(--sanctuary-color-progress-track, #45403b);
    color-scheme: dark;
  }
  h2,
  h3,
  h4,
  p,
  ul {
    margin: 0 0 12px;
  }
  h2 {
    font-family: var(--sanctuary-font-family-heading, inherit);
    font-size: 22px;
    line-height: 1.25;
  }
  h3 {
    font-size: 18px;
    line-height: 1.3;
  }
  h4 {
    font-size: 16px;
    line-height: 1.35;
  }
  [tabindex='-1']:focus {
    outline: none;
  }
  [tabindex='-1']:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  .muted {
    color: var(--_muted);
    font-size: 14px;
  }
  .place {
    color: var(--_muted);
    font-size: 14px;
    font-weight: 600;
    text-transform: uppercase;
    letter-spacing: 0.04em;
    margin-bottom: 4px;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }

  /* Progress: a native <progress>, styled; the numbers are in the text next to it. */
  .progress {
    margin: 0 0 16px;
  }
  .progress p {
    margin: 0 0 6px;
    font-weight: 600;
  }
  progress {
    appearance: none;
    -webkit-appearance: none;
    display: block;
    width: 100%;
    height: 10px;
    border: 0;
    border-radius: 999px;
    overflow: hidden;
    background: var(--_track);
    color: var(--_progress);
  }
  progress.small {
    height: 6px;
  }
  progress::-webkit-progress-bar {
    background: var(--_track);
    border-radius: 999px;
  }
  progress::-webkit-progress-value {
    background: var(--_progress);
    border-radius: 999px;
  }
  progress::-moz-progress-bar {
    background: var(--_progress);
    border-radius: 999px;
  }

  /* Controls: 44px targets, visible focus. */
  button,
  input,
  .button {
    font: inherit;
    font-size: 16px; /* 16px stops iOS from zooming into inputs */
    min-height: 44px;
    border-radius: var(--_radius);
  }
  button,
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 6px;
    padding: 8px 16px;
    border: 2px solid var(--_accent);
    background: var(--_accent);
    color: var(--_on-accent);
    font-weight: 700;
    cursor: pointer;
    text-decoration: none;
  }
  button.secondary,
  .button.secondary {
    background: transparent;
    color: var(--_accent);
  }
  button.link {
    border-color: transparent;
    background: transparent;
    color: var(--_accent);
    padding-inline: 4px;
    text-decoration: underline;
  }
  button:hover:not(:disabled),
  .button:hover {
    filter: brightness(0.92);
  }
  button:disabled {
    cursor: progress;
    opacity: 0.7;
  }
  button:focus-visible,
  input:focus-visible,
  .button:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  input[type='text'],
  input[type='email'],
  input[type='tel'],
  input[type='search'],
  input[type='url'] {
    display: block;
    width: 100%;
    min-width: 0;
    padding: 8px 12px;
    border: 1px solid var(--_border);
    background: var(--_bg);
    color: var(--_text);
  }
  input[aria-invalid='true'] {
    border: 2px solid var(--_error);
  }
  input[type='checkbox'] {
    width: 24px;
    height: 24px;
    min-height: 24px;
    margin: 0;
    flex: none;
    accent-color: var(--_accent);
  }
  label {
    display: block;
    font-weight: 600;
    margin-bottom: 4px;
  }
`;

export default [base, views];
