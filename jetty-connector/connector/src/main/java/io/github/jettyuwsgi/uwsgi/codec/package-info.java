/**
 * The uwsgi wire format, both ways: the header constants ({@link io.github.jettyuwsgi.uwsgi.codec.Uwsgi}), a packet's
 * vars ({@link io.github.jettyuwsgi.uwsgi.codec.UwsgiVars}), the parser that turns bytes into vars and body
 * ({@link io.github.jettyuwsgi.uwsgi.codec.UwsgiParser}, with the {@link io.github.jettyuwsgi.uwsgi.codec.BodyFraming}
 * it derives from the vars and the {@link io.github.jettyuwsgi.uwsgi.codec.KnownVars} it takes names and repeated values
 * from), the generator that turns vars into packets, and the codec's one exception.
 *
 * <p>The bottom layer of the connector: it uses the JDK and Jetty's {@code jetty-http}/{@code jetty-util} only, and
 * imports nothing from {@code io.github.jettyuwsgi.uwsgi} or its other packages, which all build on it. The benchmarks,
 * the command-line client and the launcher's subscription announcements use it directly.</p>
 */
package io.github.jettyuwsgi.uwsgi.codec;
