/*
 * riusa: the site's own script. Pages work without it; it only sets what
 * Bootstrap Italia and htmx need under the site's Content-Security-Policy
 * (script-src 'self', style-src 'self': no inline scripts or styles).
 *
 * Load order, all with `defer` at the end of <head>:
 *   /static/js/htmx.min.js  ->  /static/js/riusa.js  ->  /static/js/bootstrap-italia.bundle.min.js
 * Deferred scripts run in document order before DOMContentLoaded, so this file
 * sees `htmx` (to configure it before htmx initialises on DOMContentLoaded) and
 * runs before Bootstrap Italia reads the globals below.
 */
(function () {
  'use strict';

  // Where Bootstrap Italia finds its fonts if bootstrap.loadFonts() is called.
  // The fonts themselves come from /static/css/fonts.css: loadFonts() injects
  // an inline <style>, which the CSP blocks.
  window.__PUBLIC_PATH__ = '/static/fonts';

  // video.js, bundled in Bootstrap Italia, injects an inline <style> as soon as
  // the bundle runs unless this is set (the CSP would block it and log an error).
  window.VIDEOJS_NO_DYNAMIC_STYLE = true;

  if (window.htmx) {
    // No inline <style> for .htmx-indicator (CSP); style it in a stylesheet if used.
    window.htmx.config.includeIndicatorStyles = false;
    // No eval: hx-on / event filters are not used (the CSP forbids eval anyway).
    window.htmx.config.allowEval = false;
  }

  // Controls that only work with JavaScript (the mobile menu button) are
  // served with `hidden data-requires-js`; show them now that scripts run.
  document.querySelectorAll('[data-requires-js][hidden]').forEach(function (el) {
    el.hidden = false;
  });
})();
