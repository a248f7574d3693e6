/**
 * The launcher as a Unix process, as uWSGI's master is one: {@code pidfile}
 * ({@link io.github.jettyuwsgi.launcher.process.PidFile}), {@code --stop} and {@code --reload} to another instance
 * ({@link io.github.jettyuwsgi.launcher.process.ProcessCommand}), {@code env}, {@code unenv} and {@code logto}
 * ({@link io.github.jettyuwsgi.launcher.process.ProcessSettings}), SIGHUP and {@code touch-reload}
 * ({@link io.github.jettyuwsgi.launcher.process.Reloader}) and {@code master-fifo}
 * ({@link io.github.jettyuwsgi.launcher.process.MasterFifo}). The paths uWSGI reads after its {@code chdir} are
 * resolved while the options are read, in the {@code options} package, so that every getter already gives them.
 */
package io.github.jettyuwsgi.launcher.process;
