// The host page listens to the widget's events, as a partner's analytics would (no personal data in them).
for (const type of ['sanctuary-signed', 'sanctuary-error']) {
  document.addEventListener(type, (event) => console.info(`[demo page] ${type}`, event.detail));
}
