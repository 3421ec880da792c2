import { css } from 'lit';

export default css`
  :host {
    display: block;
    font: inherit;
    color: var(--sanctuary-admin-color-text, #1d2330);
    --accent: var(--sanctuary-admin-color-accent, #6d1f7a);
    --line: #d9dce3;
  }
  h1 { font-size: 1.5rem; margin: 0; }
  h2 { font-size: 1.2rem; margin: 0 0 0.75rem; }
  h3 { font-size: 1rem; margin: 0 0 0.25rem; }
  header {
    display: flex; flex-wrap: wrap; gap: 0.75rem 1.5rem; align-items: center; justify-content: space-between;
    margin-bottom: 1.5rem;
  }
  .bar { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
  section {
    background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; margin-bottom: 1.25rem;
  }
  form.signin { max-width: 28rem; display: grid; gap: 0.5rem; }
  label { font-weight: 600; }
  input, textarea, select, button { font: inherit; }
  input, textarea, select {
    border: 1px solid #9aa1ad; border-radius: 6px; padding: 0.45rem 0.6rem; background: #fff; color: inherit;
  }
  textarea { min-height: 10rem; width: 100%; box-sizing: border-box; }
  .grid { display: grid; gap: 0.5rem; }
  button {
    border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 6px;
    padding: 0.45rem 0.9rem; cursor: pointer;
  }
  button.secondary { background: #fff; color: var(--accent); }
  button.danger { background: #a3261c; border-color: #a3261c; }
  button[disabled] { opacity: 0.6; cursor: progress; }
  button:focus-visible, input:focus-visible, textarea:focus-visible, select:focus-visible {
    outline: 3px solid #f0b400; outline-offset: 2px;
  }
  .error { color: #a3261c; font-weight: 600; }
  .muted { color: #5b6372; font-size: 0.9rem; }
  ul.queue { list-style: none; margin: 0; padding: 0; display: grid; gap: 1rem; }
  ul.queue > li { border-top: 1px solid var(--line); padding-top: 1rem; }
  ul.queue > li:first-child { border-top: 0; padding-top: 0; }
  .badge {
    display: inline-block; font-size: 0.75rem; font-weight: 700; text-transform: uppercase; letter-spacing: 0.03em;
    padding: 0.1rem 0.45rem; border-radius: 999px; background: #eef0f4; margin-left: 0.4rem; vertical-align: middle;
  }
  .badge.pending { background: #fff1c2; }
  .badge.unlisted { background: #dcecff; }
  .text { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0.5rem 0; max-height: 14rem; overflow: auto; }
  .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; margin-top: 0.5rem; }
  table { border-collapse: collapse; width: 100%; font-size: 0.95rem; }
  th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid var(--line); }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  .totals { display: grid; gap: 1.5rem; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); align-items: start; }
  .figures { display: flex; flex-wrap: wrap; gap: 1.5rem; margin-bottom: 1rem; }
  .figures strong { display: block; font-size: 1.4rem; }
  .sr-only {
    position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); border: 0;
  }
`;
