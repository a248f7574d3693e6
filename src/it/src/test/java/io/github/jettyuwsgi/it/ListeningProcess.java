package io.github.jettyuwsgi.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * <p>A frontend server of an end-to-end test that is configured from templates and is ready once it accepts on the
 * ports those templates name: what {@link NginxProcess} and {@link FrontendProcess} share, so that both fill in
 * values, wait for their ports and look them up the same way.</p>
 */
public abstract class ListeningProcess extends ManagedProcess
{
    private final Map<String, Integer> ports;

    protected ListeningProcess(String name, List<String> command, Path workingDirectory, Path logFile, Map<String, Integer> ports)
    {
        super(name, command, workingDirectory, logFile);
        this.ports = Map.copyOf(ports);
    }

    /**
     * @return the port the template's {@code {{name}}} listens on, as given to {@link TemplateBuilder#listen(String, int)}
     */
    public int port(String name)
    {
        Integer port = ports.get(name);
        if (port == null)
            throw new IllegalArgumentException("no " + name() + " port named " + name + " (expected one of " + ports.keySet() + ")");
        return port;
    }

    /**
     * The values filled into the templates, the ports among them to wait for, and how long to wait.
     *
     * @param <B> the concrete builder, returned by the setters so that calls chain
     */
    public abstract static class TemplateBuilder<B extends TemplateBuilder<B>>
    {
        protected final Map<String, String> values = new LinkedHashMap<>();
        protected final Map<String, Integer> ports = new LinkedHashMap<>();
        private Duration startTimeout = Duration.ofSeconds(30);

        protected abstract B self();

        public B set(String name, Object value)
        {
            values.put(name, String.valueOf(value));
            return self();
        }

        /**
         * Sets {@code {{name}}} to {@code port} and waits, at start, until the program accepts on it.
         */
        public B listen(String name, int port)
        {
            ports.put(name, port);
            return set(name, port);
        }

        public B startTimeout(Duration startTimeout)
        {
            this.startTimeout = startTimeout;
            return self();
        }

        /**
         * Waits until the just started {@code process} accepts on every {@link #listen} port; stops it when it does
         * not, so that a failed start leaves no server behind.
         */
        protected <P extends ListeningProcess> P awaitAccepting(P process)
        {
            try
            {
                process.awaitReady("accepting on " + ports, () -> ports.values().stream().allMatch(FreePorts::accepts), startTimeout);
            }
            catch (RuntimeException x)
            {
                process.close();
                throw x;
            }
            return process;
        }
    }
}
