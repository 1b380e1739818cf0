// SPDX-License-Identifier: EUPL-1.2
// Solves the proof-of-work challenge of each form[data-pow-challenge] in the browser
// (ALTCHA v1: find n in [0, maxnumber] with sha256(salt + n) == challenge) and puts the
// base64 payload into the hidden input "pow_solution". Same origin, no eval, no inline code.
// Without JavaScript (or without crypto.subtle, e.g. plain HTTP) nothing here runs and the
// form still works: the server accepts its signed token once the wait is over.
(function () {
  "use strict";

  var BATCH = 500; // digests in flight at once: one await per hash would be far slower
  var encoder = new TextEncoder();

  function hexToBytes(hex) {
    var bytes = new Uint8Array(hex.length / 2);
    for (var i = 0; i < bytes.length; i++) {
      bytes[i] = parseInt(hex.substr(i * 2, 2), 16);
    }
    return bytes;
  }

  function sameBytes(buffer, expected) {
    var actual = new Uint8Array(buffer);
    if (actual.length !== expected.length) return false;
    for (var i = 0; i < actual.length; i++) {
      if (actual[i] !== expected[i]) return false;
    }
    return true;
  }

  async function solve(challenge) {
    var target = hexToBytes(challenge.challenge);
    var max = challenge.maxnumber;
    for (var start = 0; start <= max; start += BATCH) {
      var end = Math.min(start + BATCH - 1, max);
      var pending = [];
      for (var n = start; n <= end; n++) {
        pending.push(crypto.subtle.digest("SHA-256", encoder.encode(challenge.salt + n)));
      }
      var digests = await Promise.all(pending);
      for (var i = 0; i < digests.length; i++) {
        if (sameBytes(digests[i], target)) return start + i;
      }
    }
    return null;
  }

  function readChallenge(form) {
    var data = JSON.parse(form.getAttribute("data-pow-challenge"));
    // Either the gateway's {challenge: {...}, token, not_before} or a bare ALTCHA challenge.
    var challenge = data && typeof data.challenge === "object" ? data.challenge : data;
    if (challenge.maxnumber === undefined) challenge.maxnumber = challenge.maxNumber;
    return challenge;
  }

  function statusRegion(form) {
    var region = form.querySelector("[data-pow-status]");
    if (!region) {
      region = document.createElement("p");
      region.setAttribute("data-pow-status", "");
      form.appendChild(region);
    }
    // role=status is a polite live region: read out without moving focus.
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    return region;
  }

  function solutionInput(form) {
    var input = form.querySelector('input[name="pow_solution"]');
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "pow_solution";
      form.appendChild(input);
    }
    return input;
  }

  function setBusy(form, busy) {
    var buttons = form.querySelectorAll(
      'button[type="submit"], button:not([type]), input[type="submit"]');
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = busy;
    form.setAttribute("aria-busy", busy ? "true" : "false");
  }

  async function prepare(form) {
    var status = statusRegion(form);
    var challenge;
    try {
      challenge = readChallenge(form);
    } catch (error) {
      return; // unreadable: leave the form as it is (the waited path)
    }
    setBusy(form, true);
    status.textContent = form.getAttribute("data-pow-working") || "";
    var number = null;
    try {
      number = await solve(challenge);
    } catch (error) {
      number = null; // a malformed challenge: fall back to the waited path
    }
    if (number !== null) {
      solutionInput(form).value = btoa(JSON.stringify({
        algorithm: challenge.algorithm,
        challenge: challenge.challenge,
        number: number,
        salt: challenge.salt,
        signature: challenge.signature
      }));
    }
    // Even unsolved, the form may be sent: the server then accepts the token after the wait.
    setBusy(form, false);
    status.textContent = number !== null ? form.getAttribute("data-pow-done") || "" : "";
  }

  function start() {
    if (!window.crypto || !window.crypto.subtle || !window.TextEncoder) return;
    var forms = document.querySelectorAll("form[data-pow-challenge]");
    for (var i = 0; i < forms.length; i++) prepare(forms[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
