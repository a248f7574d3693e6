/**
 * Which frontends the uwsgi connector believes: the checks that run before a packet's vars are trusted (the Ghostcat
 * lesson, after Tomcat's AJP {@code secretRequired} and {@code allowedRequestAttributesPattern}). A connection from
 * an address outside the allow list is closed before anything is read ({@link FrontendAllowList}); a packet without
 * the shared secret var is answered 403 and closed ({@link FrontendSecret}); {@link FrontendTrust} holds both for a
 * connector, with their counters and rate-limited log lines.
 *
 * <p>Used by {@code UwsgiConnectionFactory} (the address, when a connection opens) and the uwsgi connection (the
 * secret, when the vars are complete, before the request mapping sees them).</p>
 */
package io.github.jettyuwsgi.uwsgi.trust;
