import { css } from 'lit';

/**
 * The views' own rules (finder, campaign and form, thanks and share, skeleton, error), the wide
 * layout and the media preferences. The theme, the base and the controls are in
 * ../sanctuary-petition.styles.ts, which comes first in the cascade.
 */
export default css`
  /* Finder */
  .finder {
    border-top: 1px solid var(--_track);
    padding-top: 16px;
  }
  .search {
    margin-bottom: 16px;
  }
  .search-row {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
  .search-row input {
    flex: 1 1 160px;
    width: auto;
  }
  .locate {
    margin-top: 8px;
  }
  .start-here {
    margin: 0 0 16px;
  }
  /* "Not your town?" after the list and its Show more button. */
  .not-yours {
    margin: 16px 0 4px;
  }
  .alternatives .link {
    margin-inline-end: 8px;
  }
  .field-error,
  .form-error {
    color: var(--_error);
    font-size: 14px;
    font-weight: 600;
    margin: 4px 0 0;
  }
  .form-error {
    margin: 0 0 12px;
  }
  .notice {
    background: var(--_surface);
    border-radius: var(--_radius);
    padding: 12px;
    margin: 12px 0;
  }
  .results {
    list-style: none;
    padding: 0;
    margin: 0;
    display: grid;
    gap: 12px;
  }
  .result {
    border: 1px solid var(--_track);
    border-radius: var(--_radius);
    padding: 12px;
    background: var(--_surface);
  }
  .result h4 {
    margin-bottom: 4px;
  }
  .result p {
    margin-bottom: 6px;
  }
  .meta {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 12px;
    justify-content: space-between;
  }
  .badge {
    display: inline-block;
    background: var(--_accent);
    color: var(--_on-accent);
    border-radius: 999px;
    padding: 0 8px;
    font-size: 12px;
    font-weight: 700;
    margin-inline-start: 6px;
    vertical-align: middle;
  }

  /* Campaign + form */
  .body p {
    margin: 0 0 12px;
  }
  .signers {
    list-style: none;
    padding: 0;
    display: flex;
    flex-wrap: wrap;
    gap: 4px 12px;
    color: var(--_muted);
  }
  .form {
    border-top: 1px solid var(--_track);
    padding-top: 16px;
    margin-top: 16px;
  }
  .fields {
    display: grid;
    gap: 12px;
    margin-bottom: 12px;
  }
  .check {
    display: flex;
    gap: 10px;
    align-items: flex-start;
    font-weight: 400;
    min-height: 24px;
    margin-bottom: 8px;
    cursor: pointer;
  }
  .optional {
    font-weight: 400;
    color: var(--_muted);
  }
  .submit {
    width: 100%;
  }
  .back {
    margin: -8px 0 8px -4px;
  }

  /* Thanks + share */
  .thanks h2 {
    color: var(--_success);
  }
  .share {
    display: grid;
    gap: 8px;
    margin: 12px 0;
  }
  .share-row {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
  .share-row input {
    flex: 1 1 180px;
    width: auto;
  }
  .share h3 {
    margin: 0;
  }
  .share-links {
    list-style: none;
    padding: 0;
    margin: 0;
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
  .queued h2 {
    color: var(--_text);
  }

  /* Loading skeleton: the same rough height as the loaded widget, so the page does not jump. */
  .skeleton {
    min-height: var(--sanctuary-min-height, 420px);
  }
  .bone {
    background: var(--_track);
    border-radius: var(--_radius);
    height: 16px;
    margin-bottom: 12px;
    animation: pulse 1.4s ease-in-out infinite;
  }
  .bone.title {
    height: 28px;
    width: 75%;
  }
  .bone.short {
    width: 45%;
  }
  .bone.block {
    height: 44px;
  }
  .bone.tall {
    height: 96px;
  }
  @keyframes pulse {
    50% {
      opacity: 0.5;
    }
  }
  .error {
    min-height: 120px;
  }

  @container (min-width: 520px) {
    .container {
      padding: calc(var(--_space) * 1.5);
    }
    h2 {
      font-size: 26px;
    }
    .fields.two {
      grid-template-columns: 1fr 1fr;
    }
    .submit {
      width: auto;
      min-width: 160px;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      animation: none !important;
      transition: none !important;
      scroll-behavior: auto !important;
    }
  }
  @media (forced-colors: active) {
    progress {
      border: 1px solid CanvasText;
    }
  }
`;
