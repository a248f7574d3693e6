/**
 * The uwsgi protocol for Jetty 12.1. Exports the API users embed (the factory, configuration, Unix-socket connector and
 * request mapping), the codec, the request log and the frontend checks; {@code io.github.jettyuwsgi.uwsgi.internal}, the connection itself,
 * is not exported.
 */
module io.github.jettyuwsgi.uwsgi
{
    exports io.github.jettyuwsgi.uwsgi;
    exports io.github.jettyuwsgi.uwsgi.codec;
    exports io.github.jettyuwsgi.uwsgi.log;
    exports io.github.jettyuwsgi.uwsgi.trust;

    requires transitive org.eclipse.jetty.server;
    requires transitive org.eclipse.jetty.unixdomain.server;
    requires transitive org.slf4j;
}
