/**
 * A uwsgi client that sends what nginx sends ({@link io.github.jettyuwsgi.uwsgi.client.UwsgiClient}) and the
 * {@code curl}/{@code ping} command line on top of it ({@link io.github.jettyuwsgi.uwsgi.client.UwsgiCurl}), run by the
 * launcher jar. Builds packets with the connector's codec and nothing else of it: the frontend side, outside the
 * connector artifact that serves.
 */
package io.github.jettyuwsgi.uwsgi.client;
