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

    // Thumbnails come from elsewhere; if one cannot load, hide the broken image: its frame keeps the place, empty.
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

    // LaTeX in titles and abstracts: KaTeX (vendored in /lib/katex) is loaded only when a page has math in it.
    // Without JavaScript, or if a formula does not parse, the source text stays as it is.
    var mathNodes = Array.prototype.filter.call(document.querySelectorAll(".math"), function (el) {
        return /\$[^$]+\$|\\\(|\\\[/.test(el.textContent);
    });
    function load(tag, attrs) {
        return new Promise(function (resolve, reject) {
            var el = document.createElement(tag);
            Object.keys(attrs).forEach(function (k) { el.setAttribute(k, attrs[k]); });
            el.onload = resolve;
            el.onerror = reject;
            document.head.appendChild(el);
        });
    }
    if (mathNodes.length > 0) {
        load("link", { rel: "stylesheet", href: "/lib/katex/katex.min.css" })
            .then(function () { return load("script", { src: "/lib/katex/katex.min.js" }); })
            .then(function () { return load("script", { src: "/lib/katex/auto-render.min.js" }); })
            .then(function () {
                mathNodes.forEach(function (el) {
                    window.renderMathInElement(el, {
                        delimiters: [
                            { left: "$$", right: "$$", display: true },
                            { left: "$", right: "$", display: false },
                            { left: "\\(", right: "\\)", display: false },
                            { left: "\\[", right: "\\]", display: true }
                        ],
                        throwOnError: false
                    });
                    el.classList.add("math-rendered");
                });
            })
            .catch(function () { /* the source text stays readable */ });
    }

    // Upvotes without a reload: the same form, posted by fetch, asking for JSON. Without JavaScript the form posts
    // and the server redirects back (Post/Redirect/Get).
    document.addEventListener("submit", function (event) {
        var form = event.target;
        if (!(form instanceof HTMLFormElement) || !form.classList.contains("vote-form") || !window.fetch) return;
        event.preventDefault();
        var button = form.querySelector("button");
        button.disabled = true;
        fetch(form.action, { method: "POST", body: new FormData(form), headers: { "Accept": "application/json" }, credentials: "same-origin" })
            .then(function (response) {
                if (response.status === 429) throw new Error("Too many votes at once: wait a moment.");
                if (!response.ok) throw new Error("The vote was not saved.");
                return response.json();
            })
            .then(function (result) {
                form.querySelector(".vote-count").textContent = result.count;
                var label = form.querySelector(".label");
                if (label) label.textContent = result.count === 1 ? "vote" : "votes";
                form.querySelector("input[name='up']").value = result.voted ? "false" : "true";
                button.setAttribute("aria-pressed", result.voted ? "true" : "false");
                button.classList.toggle("voted", result.voted);
                button.title = result.voted ? "Remove your upvote" : "Upvote this paper";
            })
            .catch(function (error) { button.title = error.message; })
            .then(function () { button.disabled = false; });
    });

    // "Not for me" and "Less like this" without a reload: the button becomes its undo at once and the card shows the mark
    // (the form's data-* say the JSON field, the labels and the card's class).
    document.addEventListener("submit", function (event) {
        var form = event.target;
        if (!(form instanceof HTMLFormElement) || !form.classList.contains("signal-form") || !window.fetch) return;
        event.preventDefault();
        var button = form.querySelector("button");
        button.disabled = true;
        fetch(form.action, { method: "POST", body: new FormData(form), headers: { "Accept": "application/json" }, credentials: "same-origin" })
            .then(function (response) {
                if (response.status === 429) throw new Error("Too many at once: wait a moment.");
                if (!response.ok) throw new Error("Not saved.");
                return response.json();
            })
            .then(function (result) {
                var marked = result[form.dataset.field];
                form.querySelector("input[name='mark']").value = marked ? "false" : "true";
                button.setAttribute("aria-pressed", marked ? "true" : "false");
                button.classList.toggle("marked", marked);
                button.textContent = marked ? form.dataset.undoLabel : form.dataset.label;
                button.title = marked ? form.dataset.undoTitle : form.dataset.title;
                var card = form.closest(".card");
                if (card) card.classList.toggle(form.dataset.cardClass, marked);
            })
            .catch(function (error) { button.title = error.message; })
            .then(function () { button.disabled = false; button.focus(); });
    });
})();
