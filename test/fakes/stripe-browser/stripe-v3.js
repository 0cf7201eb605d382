// A stand-in for Stripe.js v3, served by the Stripe fake at /v3/: just what the Payment
// Element flow needs (https://docs.stripe.com/js). The card fields live in an iframe served
// by the fake's own origin; this script runs in the merchant's page and only passes messages,
// so neither the merchant's DOM nor its requests ever hold the card number.
(function () {
  'use strict';
  var ORIGIN = new URL(document.currentScript.src).origin;
  var groups = new WeakMap(); // Elements instance → its state
  var mounted = []; // states with a frame in the page, to match a message to its frame
  var seq = 0;

  function error(type, message, extra) {
    return { error: Object.assign({ type: type, message: message }, extra || {}) };
  }

  function Stripe(publishableKey) {
    if (typeof publishableKey !== 'string' || publishableKey.indexOf('pk_') !== 0) {
      throw new Error('IntegrationError: Invalid API Key provided to Stripe(): ' + publishableKey);
    }
    return {
      elements: function (options) {
        return createElements(publishableKey, options || {});
      },
      confirmPayment: function (args) {
        return confirmPayment(args || {});
      },
    };
  }

  function createElements(publishableKey, options) {
    var group = { publishableKey: publishableKey, options: Object.assign({}, options), iframe: null, ready: false, waiting: [], pending: {}, handlers: {}, submitted: false, element: null };
    var elements = {
      create: function (type) {
        if (type !== 'payment') throw new Error('IntegrationError: the Stripe fake only provides the "payment" Element.');
        if (group.element) throw new Error('IntegrationError: Can only create one Element of type payment.');
        group.element = createPaymentElement(group);
        return group.element;
      },
      getElement: function (type) {
        return type === 'payment' ? group.element : null;
      },
      update: function (changes) {
        Object.assign(group.options, changes || {});
      },
      submit: function () {
        if (!group.iframe) return Promise.resolve(error('invalid_request_error', 'elements.submit(): the Payment Element is not mounted.'));
        return ask(group, { type: 'validate' }).then(function (result) {
          if (result.error) return result;
          group.submitted = true;
          return {};
        });
      },
    };
    groups.set(elements, group);
    return elements;
  }

  function createPaymentElement(group) {
    return {
      mount: function (target) {
        var node = typeof target === 'string' ? document.querySelector(target) : target;
        if (!node) throw new Error('IntegrationError: The selector you specified (' + target + ') applies to no DOM elements.');
        var iframe = document.createElement('iframe');
        var query = new URLSearchParams({ key: group.publishableKey, parent: location.origin });
        iframe.src = ORIGIN + '/elements/payment-frame?' + query.toString();
        iframe.title = 'Secure payment input frame';
        iframe.setAttribute('allowtransparency', 'true');
        iframe.style.cssText = 'border:0;width:100%;height:180px;display:block;';
        node.appendChild(iframe);
        group.iframe = iframe;
        mounted.push(group);
      },
      unmount: function () {
        if (group.iframe) group.iframe.remove();
        group.iframe = null;
        group.ready = false;
        mounted = mounted.filter(function (g) {
          return g !== group;
        });
      },
      destroy: function () {
        this.unmount();
        group.element = null;
      },
      on: function (event, handler) {
        (group.handlers[event] = group.handlers[event] || []).push(handler);
        return this;
      },
      off: function (event, handler) {
        group.handlers[event] = (group.handlers[event] || []).filter(function (h) {
          return h !== handler;
        });
        return this;
      },
    };
  }

  /** Sends a request to the frame (once it is ready) and resolves with its answer. */
  function ask(group, message) {
    return new Promise(function (resolve) {
      var id = ++seq;
      group.pending[id] = resolve;
      var send = function () {
        group.iframe.contentWindow.postMessage(Object.assign({ id: id }, message), ORIGIN);
      };
      if (group.ready) send();
      else group.waiting.push(send);
    });
  }

  window.addEventListener('message', function (event) {
    if (event.origin !== ORIGIN || !event.data || typeof event.data !== 'object') return;
    mounted.forEach(function (group) {
      if (group.iframe.contentWindow !== event.source) return;
      var data = event.data;
      if (data.type === 'ready') {
        group.ready = true;
        group.waiting.splice(0).forEach(function (send) {
          send();
        });
        fire(group, 'ready', { elementType: 'payment' });
      } else if (data.type === 'change') {
        fire(group, 'change', { elementType: 'payment', complete: data.complete, empty: data.empty, value: { type: 'card' } });
      } else if (data.type === 'resize') {
        group.iframe.style.height = data.height + 'px';
      } else if (data.type === 'reply' && group.pending[data.id]) {
        group.pending[data.id](data.result);
        delete group.pending[data.id];
      }
    });
  });

  function fire(group, event, payload) {
    (group.handlers[event] || []).forEach(function (h) {
      h(payload);
    });
  }

  function confirmPayment(args) {
    var group = groups.get(args.elements);
    if (!group || !group.iframe) return Promise.resolve(error('invalid_request_error', 'stripe.confirmPayment(): pass the `elements` instance with a mounted Payment Element.'));
    var clientSecret = args.clientSecret || group.options.clientSecret;
    if (!clientSecret) return Promise.resolve(error('invalid_request_error', 'stripe.confirmPayment(): a `clientSecret` is required.'));
    if (group.options.mode && !group.submitted) {
      return Promise.resolve(
        error('invalid_request_error', 'elements.submit() must be called before stripe.confirmPayment(). Call elements.submit() as soon as your customer presses pay, prior to any asynchronous work.'),
      );
    }
    var redirect = args.redirect || 'always';
    var returnUrl = args.confirmParams && args.confirmParams.return_url;
    if (redirect === 'always' && !returnUrl) {
      return Promise.resolve(error('invalid_request_error', "stripe.confirmPayment(): the `confirmParams.return_url` argument is required unless passing `redirect: 'if_required'`."));
    }
    return ask(group, { type: 'confirm', clientSecret: clientSecret, returnUrl: returnUrl || null, captureMethod: group.options.mode ? group.options.captureMethod || 'automatic' : null }).then(
      function (result) {
        if (result.error) return result;
        var pi = result.paymentIntent;
        if (redirect === 'if_required') return { paymentIntent: pi };
        var url = new URL(returnUrl, location.href);
        url.searchParams.set('payment_intent', pi.id);
        url.searchParams.set('payment_intent_client_secret', pi.client_secret);
        url.searchParams.set('redirect_status', 'succeeded');
        window.location.assign(url.toString());
        return new Promise(function () {}); // the page is leaving
      },
    );
  }

  window.Stripe = Stripe;
})();
