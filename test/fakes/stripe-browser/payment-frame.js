// The Payment Element's card frame, on the Stripe fake's origin. It answers the merchant
// page's Stripe.js (postMessage, checked origin) and talks to the fake's API itself with the
// publishable key, as Stripe.js does: create a PaymentMethod from the typed card, confirm the
// PaymentIntent with its client secret, run 3-D Secure here when the bank asks.
(function () {
  'use strict';
  var params = new URLSearchParams(location.search);
  var KEY = params.get('key');
  var PARENT = params.get('parent');
  var form = document.getElementById('card-form');
  var fields = { number: document.getElementById('number'), expiry: document.getElementById('expiry'), cvc: document.getElementById('cvc') };
  var errorBox = document.getElementById('card-error');
  var authSection = document.getElementById('authenticate');

  function send(message) {
    parent.postMessage(message, PARENT);
  }
  function resize() {
    send({ type: 'resize', height: document.documentElement.scrollHeight });
  }

  function showError(message, field) {
    errorBox.textContent = message || '';
    Object.keys(fields).forEach(function (name) {
      if (name === field) fields[name].setAttribute('aria-invalid', 'true');
      else fields[name].removeAttribute('aria-invalid');
    });
    resize();
  }

  /** The completeness checks Stripe.js makes before anything is sent. */
  function incomplete() {
    if (fields.number.value.replace(/[\s-]/g, '').length < 12) return { message: 'Your card number is incomplete.', field: 'number' };
    if (!/^\s*\d{1,2}\s*\/?\s*(\d{2}|\d{4})\s*$/.test(fields.expiry.value)) return { message: "Your card's expiration date is incomplete.", field: 'expiry' };
    if (!/^\d{3,4}$/.test(fields.cvc.value.trim())) return { message: "Your card's security code is incomplete.", field: 'cvc' };
    return null;
  }

  function api(method, path, body) {
    var init = { method: method, headers: { Authorization: 'Bearer ' + KEY } };
    if (body) {
      init.headers['Content-Type'] = 'application/x-www-form-urlencoded';
      init.body = new URLSearchParams(body).toString();
    }
    return fetch(path, init).then(function (res) {
      return res.json();
    });
  }

  function waitForAuthentication() {
    authSection.hidden = false;
    resize();
    return new Promise(function (resolve) {
      function choose(outcome) {
        return function () {
          authSection.hidden = true;
          resize();
          resolve(outcome);
        };
      }
      document.getElementById('auth-complete').onclick = choose('complete');
      document.getElementById('auth-fail').onclick = choose('fail');
    });
  }

  function summary(pi) {
    return { id: pi.id, object: 'payment_intent', status: pi.status, client_secret: pi.client_secret, amount: pi.amount, currency: pi.currency, capture_method: pi.capture_method };
  }

  function confirm(message) {
    var problem = incomplete();
    if (problem) {
      showError(problem.message, problem.field);
      return Promise.resolve({ error: { type: 'validation_error', message: problem.message } });
    }
    showError('');
    var secret = message.clientSecret;
    var piPath = '/v1/payment_intents/' + encodeURIComponent(secret.split('_secret_')[0]);
    var pi;
    return api('GET', piPath + '?client_secret=' + encodeURIComponent(secret))
      .then(function (found) {
        if (found.error) throw found;
        var expected = message.captureMethod === 'automatic' ? ['automatic', 'automatic_async'] : [message.captureMethod];
        if (message.captureMethod && expected.indexOf(found.capture_method) < 0) {
          throw { error: { type: 'invalid_request_error', message: 'The PaymentIntent\'s capture_method (' + found.capture_method + ') does not match the captureMethod given to elements() (' + message.captureMethod + ').' } };
        }
        var m = /^\s*(\d{1,2})\s*\/?\s*(\d{2}|\d{4})\s*$/.exec(fields.expiry.value);
        return api('POST', '/v1/payment_methods', {
          type: 'card',
          'card[number]': fields.number.value.replace(/[\s-]/g, ''),
          'card[exp_month]': m[1],
          'card[exp_year]': m[2],
          'card[cvc]': fields.cvc.value.trim(),
        });
      })
      .then(function (pm) {
        if (pm.error) throw pm;
        var body = { client_secret: secret, payment_method: pm.id };
        if (message.returnUrl) body.return_url = message.returnUrl;
        return api('POST', piPath + '/confirm', body);
      })
      .then(function (confirmed) {
        if (confirmed.error) throw confirmed;
        pi = confirmed;
        if (pi.status !== 'requires_action') return pi;
        return waitForAuthentication().then(function (outcome) {
          return fetch('/3ds/' + encodeURIComponent(pi.id), {
            method: 'POST',
            headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ client_secret: secret, outcome: outcome }).toString(),
          }).then(function (res) {
            return res.json();
          });
        });
      })
      .then(function (final) {
        if (final.status === 'requires_payment_method' && final.last_payment_error) {
          throw { error: Object.assign({}, final.last_payment_error, { payment_intent: summary(final) }) };
        }
        return { paymentIntent: summary(final) };
      })
      .catch(function (failure) {
        if (failure && failure.error) {
          var e = failure.error;
          if (e.param && /^card\[/.test(e.param)) showError(e.message, e.param === 'card[number]' ? 'number' : e.param === 'card[cvc]' ? 'cvc' : 'expiry');
          return { error: { type: e.type, code: e.code, decline_code: e.decline_code, message: e.message, payment_intent: e.payment_intent && summary(e.payment_intent) } };
        }
        return { error: { type: 'api_connection_error', message: 'The Stripe fake could not be reached.' } };
      });
  }

  window.addEventListener('message', function (event) {
    if (event.origin !== PARENT || event.source !== parent || !event.data) return;
    var message = event.data;
    var reply = function (result) {
      send({ type: 'reply', id: message.id, result: result });
    };
    if (message.type === 'validate') {
      var problem = incomplete();
      showError(problem ? problem.message : '', problem && problem.field);
      reply(problem ? { error: { type: 'validation_error', message: problem.message } } : {});
    } else if (message.type === 'confirm') {
      confirm(message).then(reply);
    }
  });

  function changed() {
    var empty = !fields.number.value && !fields.expiry.value && !fields.cvc.value;
    send({ type: 'change', complete: !incomplete(), empty: empty });
  }
  Object.keys(fields).forEach(function (name) {
    fields[name].addEventListener('input', changed);
  });
  // Enter in a field must not submit anything: the merchant's page owns the Pay button.
  form.addEventListener('submit', function (event) {
    event.preventDefault();
  });
  send({ type: 'ready' });
  resize();
})();
