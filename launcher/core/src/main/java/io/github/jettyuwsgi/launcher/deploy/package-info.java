/**
 * The launcher's applications: from the options' WARs and gateway classes to contexts in their EE environments, and
 * the handlers that keep a deployment's applications apart at start and across reloads.
 *
 * <ul>
 * <li>The SPI the {@code launcher-ee8}, {@code launcher-ee10} and {@code launcher-ee11} modules implement:
 * {@link io.github.jettyuwsgi.launcher.deploy.WebAppDeployer}, with its arguments
 * {@link io.github.jettyuwsgi.launcher.deploy.WebAppSpec} and {@link io.github.jettyuwsgi.launcher.deploy.GatewaySpec};
 * {@link io.github.jettyuwsgi.launcher.deploy.EnvironmentLoader} gives each environment ({@code lib/eeN}) its class
 * loader and finds its deployer there.</li>
 * <li>WAR inspection: {@link io.github.jettyuwsgi.launcher.deploy.WebXml} and
 * {@link io.github.jettyuwsgi.launcher.deploy.EnvironmentDetector} choose each WAR's environment and check its realm
 * before anything is created.</li>
 * <li>{@link io.github.jettyuwsgi.launcher.deploy.Deployment}: one deployment's applications, each a
 * {@link io.github.jettyuwsgi.launcher.deploy.DeployedApplication}; gateway applications get a class loader of their
 * own per deployment.</li>
 * <li>The handlers the {@code server} package's {@code HandlerChain} puts around them:
 * {@link io.github.jettyuwsgi.launcher.deploy.ReloadableApplications} (a reload swaps the deployment),
 * {@link io.github.jettyuwsgi.launcher.deploy.StartedApplications} ({@code need-app}),
 * {@link io.github.jettyuwsgi.launcher.deploy.ApplicationStartGuard} (503 for an application that did not start) and
 * {@link io.github.jettyuwsgi.launcher.deploy.EnvironmentScopedHandler}.</li>
 * </ul>
 */
package io.github.jettyuwsgi.launcher.deploy;
