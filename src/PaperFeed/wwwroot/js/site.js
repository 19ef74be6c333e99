// PaperFeed progressive enhancement. The site works fully without this file.
// j / k: move focus to the next / previous paper card's title link.
// /    : focus the search box, if the page has one.
// "Copy citation" buttons (hidden until this script shows them) copy the text of the element named in data-copy.
(function () {
    "use strict";

    function isTyping(target) {
        if (!target || !(target instanceof Element)) return false;
        var tag = target.tagName;
        return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
    }

    function titleLinks() {
        return Array.prototype.slice.call(document.querySelectorAll(".card .card-title a"));
    }

    function move(step) {
        var links = titleLinks();
        if (links.length === 0) return false;
        var current = links.indexOf(document.activeElement);
        if (current === -1) {
            var card = document.activeElement && document.activeElement.closest && document.activeElement.closest(".card");
            if (card) current = links.indexOf(card.querySelector(".card-title a"));
        }
        var next = current === -1 ? (step > 0 ? 0 : links.length - 1) : current + step;
        if (next < 0 || next >= links.length) return false;
        links[next].focus();
        var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
        links[next].closest(".card").scrollIntoView({ block: "nearest", behavior: reduce ? "auto" : "smooth" });
        return true;
    }

    // Thumbnails come from elsewhere; if one cannot load, drop its empty frame.
    function hideBroken(img) { img.hidden = true; }
    Array.prototype.forEach.call(document.querySelectorAll("img.thumb"), function (img) {
        if (img.complete && img.naturalWidth === 0 && img.currentSrc) hideBroken(img);
        else img.addEventListener("error", function () { hideBroken(img); }, { once: true });
    });

    if (navigator.clipboard && window.isSecureContext) {
        Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
            var source = document.getElementById(button.getAttribute("data-copy"));
            if (!source) return;
            var label = button.textContent;
            button.hidden = false;
            button.addEventListener("click", function () {
                navigator.clipboard.writeText(source.textContent).then(function () {
                    button.textContent = "Copied";
                }, function () {
                    button.textContent = "Select the text to copy";
                });
                setTimeout(function () { button.textContent = label; }, 2000);
            });
        });
    }

    document.addEventListener("keydown", function (event) {
        if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
        if (event.key === "j" || event.key === "k") {
            if (move(event.key === "j" ? 1 : -1)) event.preventDefault();
        } else if (event.key === "/") {
            var search = document.querySelector("input[type='search'], input[name='q']");
            if (search) {
                event.preventDefault();
                search.focus();
                if (search.select) search.select();
            }
        }
    });
})();
