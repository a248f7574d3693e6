/**
 * uWSGI's {@code harakiri} for the launcher: a request still running after its deadline is interrupted and answered
 * 504 ({@link io.github.jettyuwsgi.launcher.harakiri.HarakiriHandler}), between the graceful handler and the
 * reloadable applications of the handler chain.
 */
package io.github.jettyuwsgi.launcher.harakiri;
