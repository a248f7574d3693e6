package io.github.jettyuwsgi.launcher.emperor;

import java.io.IOException;

/**
 * Starts the process of one vassal file for the {@link Emperor}: {@link VassalCommand} runs a launcher JVM; tests
 * give a cheaper real process.
 */
interface VassalSpawner
{
    /**
     * @param fileName the vassal file's name in the vassals directory
     * @return the started process; its standard input is a pipe the emperor keeps open while it lives
     * @throws IOException if the process cannot be started
     */
    Process spawn(String fileName) throws IOException;
}
