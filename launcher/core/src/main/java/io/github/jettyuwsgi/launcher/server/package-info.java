/**
 * Builds the launcher's Jetty server from its options, without starting it:
 * {@link io.github.jettyuwsgi.launcher.server.ServerAssembler} in the order of assembly, with one class per part
 * (thread pool sizing, connectors, realms), and {@link io.github.jettyuwsgi.launcher.server.HandlerChain}, the one
 * place that builds the handler chain a request goes through.
 */
package io.github.jettyuwsgi.launcher.server;
