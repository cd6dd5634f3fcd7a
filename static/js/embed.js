/*
 * The self-scan on a WSP's own website. The WSP pastes:
 *
 *   <script src="https://<our host>/embed.js" data-wsp="<slug>" async></script>
 *   <noscript><a href="https://<our host>/scan/<slug>">Doe de zelfscan</a></noscript>
 *
 * This script (ours, no framework, nothing else loaded) puts a titled iframe with the scan
 * after each such tag, on /scan/<slug>?parent=<origin of this page>. The scan accepts that
 * origin only when the WSP listed it, and then posts its height to exactly that origin; this
 * script takes messages only from our own origin and only from its own frame. Optional:
 * data-title (the frame's title) and data-lang="en".
 */
(function () {
  "use strict";

  var MESSAGE = "coop-selfscan";

  function ourOrigin(script) {
    try {
      return new URL(script.src, window.location.href).origin;
    } catch (error) {
      return null;
    }
  }

  function embed(script) {
    if (script.getAttribute("data-embedded")) {
      return;
    }
    script.setAttribute("data-embedded", "1");
    var origin = ourOrigin(script);
    var slug = script.getAttribute("data-wsp") || "";
    if (!origin || !/^[a-z0-9-]{1,40}$/.test(slug)) {
      return;
    }
    var english = script.getAttribute("data-lang") === "en";
    var src = new URL("/scan/" + slug, origin);
    src.searchParams.set("parent", window.location.origin);
    if (english) {
      src.searchParams.set("lang", "en");
    }
    var frame = document.createElement("iframe");
    frame.src = src.toString();
    frame.title =
      script.getAttribute("data-title") ||
      (english ? "Jobs agreement self-scan" : "Zelfscan banenafspraak");
    frame.setAttribute("data-coop-selfscan", slug);
    frame.style.display = "block";
    frame.style.width = "100%";
    frame.style.border = "0";
    frame.style.height = "40rem";
    frame.style.overflow = "hidden";
    script.parentNode.insertBefore(frame, script.nextSibling);

    window.addEventListener("message", function (event) {
      if (event.origin !== origin || event.source !== frame.contentWindow) {
        return;
      }
      var data = event.data;
      if (!data || typeof data !== "object" || data.type !== MESSAGE) {
        return;
      }
      var height = Number(data.height);
      if (isFinite(height) && height >= 100 && height <= 100000) {
        frame.style.height = Math.ceil(height) + "px";
      }
      if (data.navigated) {
        var top = frame.getBoundingClientRect().top;
        if (top < 0) {
          frame.scrollIntoView({ block: "start" });
        }
      }
    });
  }

  function embedAll() {
    var scripts = document.querySelectorAll("script[data-wsp]");
    for (var i = 0; i < scripts.length; i += 1) {
      var src = scripts[i].getAttribute("src") || "";
      if (/\/embed\.js(\?|#|$)/.test(src)) {
        embed(scripts[i]);
      }
    }
  }

  if (document.currentScript) {
    embed(document.currentScript);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", embedAll);
  } else {
    embedAll();
  }
})();
