/*
 * The self-scan's comfort, never a requirement: every page works without this script.
 *
 * 1. "Kopieer link": copies the personal link and says so in a status message.
 * 2. Moving between steps without a full reload: a step form is posted with fetch, and the
 *    page it leads to (after the server's redirect) replaces the main content; the address
 *    bar follows, focus goes to the new heading (or the error summary), and the browser's
 *    back button reloads the page it points to. Anything unexpected falls back to a normal
 *    form submission.
 * 3. Inside a WSP's frame (the page has <meta name="scan-parent">, set by the server only
 *    for an origin the WSP allowed): the page's height is posted to exactly that origin,
 *    whenever it changes, so the frame grows and shrinks with its content.
 */
(function () {
  "use strict";

  var MESSAGE = "coop-selfscan";
  var lastHeight = 0;

  function parentOrigin() {
    var meta = document.querySelector('meta[name="scan-parent"]');
    if (!meta || window.parent === window) {
      return null;
    }
    return meta.getAttribute("content");
  }

  function postHeight(navigated) {
    var origin = parentOrigin();
    if (!origin) {
      return;
    }
    var height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height === lastHeight && !navigated) {
      return;
    }
    lastHeight = height;
    window.parent.postMessage({ type: MESSAGE, height: height, navigated: !!navigated }, origin);
  }

  function watchHeight() {
    if (!parentOrigin()) {
      return;
    }
    postHeight(true);
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        postHeight(false);
      }).observe(document.body);
    } else {
      window.addEventListener("resize", function () {
        postHeight(false);
      });
    }
    window.addEventListener("load", function () {
      postHeight(false);
    });
  }

  function setUpCopy(root) {
    root.querySelectorAll("[data-copy]").forEach(function (button) {
      var field = document.getElementById(button.getAttribute("data-copy"));
      var status = root.querySelector("[data-copy-status]");
      if (!field || !navigator.clipboard) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(field.value).then(
          function () {
            if (status) {
              status.textContent = status.getAttribute("data-copied-text") || "";
            }
          },
          function () {
            field.focus();
            field.select();
          }
        );
      });
    });
    root.querySelectorAll(".scan-link__url").forEach(function (field) {
      field.addEventListener("focus", function () {
        field.select();
      });
    });
  }

  function focusStart(root) {
    var target = root.querySelector("[data-focus-first]") || root.querySelector("h1");
    if (target) {
      if (!target.hasAttribute("tabindex")) {
        target.setAttribute("tabindex", "-1");
      }
      target.focus();
    }
  }

  function replacePage(html, url) {
    var next = new DOMParser().parseFromString(html, "text/html");
    var newMain = next.querySelector("main");
    var oldMain = document.querySelector("main");
    if (!newMain || !oldMain) {
      return false;
    }
    oldMain.replaceWith(newMain);
    document.title = next.title;
    var newSwitch = next.querySelector(".language-switch");
    var oldSwitch = document.querySelector(".language-switch");
    if (newSwitch && oldSwitch) {
      oldSwitch.replaceWith(newSwitch);
    }
    if (url && url !== window.location.href) {
      window.history.pushState({ scan: true }, "", url);
    }
    window.scrollTo(0, 0);
    setUp(newMain);
    focusStart(newMain);
    postHeight(true);
    return true;
  }

  function setUpForms(root) {
    root.querySelectorAll("form[data-scan-form]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.fetch || !window.DOMParser || !window.URLSearchParams) {
          return;
        }
        event.preventDefault();
        var data = new FormData(form);
        var submitter = event.submitter;
        if (submitter && submitter.name) {
          data.append(submitter.name, submitter.value);
        }
        var fallback = function () {
          if (submitter && submitter.name) {
            var hidden = document.createElement("input");
            hidden.type = "hidden";
            hidden.name = submitter.name;
            hidden.value = submitter.value;
            form.appendChild(hidden);
          }
          form.submit();
        };
        fetch(form.action, {
          method: "POST",
          body: new URLSearchParams(data),
          credentials: "omit",
          redirect: "follow",
          headers: { Accept: "text/html" },
        })
          .then(function (response) {
            var type = response.headers.get("content-type") || "";
            if (response.status >= 500 || type.indexOf("text/html") !== 0) {
              throw new Error("unexpected answer");
            }
            return response.text().then(function (html) {
              if (!replacePage(html, response.url)) {
                throw new Error("no main element");
              }
            });
          })
          .catch(fallback);
      });
    });
  }

  function setUp(root) {
    setUpCopy(root);
    setUpForms(root);
  }

  window.addEventListener("popstate", function () {
    window.location.reload();
  });

  setUp(document);
  watchHeight();
})();
