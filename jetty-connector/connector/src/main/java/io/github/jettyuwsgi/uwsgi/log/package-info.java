/**
 * uWSGI's request-log line for Jetty's {@code RequestLog}: the format with uWSGI's {@code %(name)} variables and the
 * logger that writes it. Reads the request's vars through the root package's attribute name; nothing in the connector
 * depends on it.
 */
package io.github.jettyuwsgi.uwsgi.log;
