/**
 * The launcher's options: the first step of the launcher, from a command line to a checked, unchanging {@link
 * LauncherOptions} value. Nothing here knows Jetty.
 *
 * <ul>
 * <li>{@code Option}: the option table, each option once (key, aliases, argument, help line, default, how it
 * applies).</li>
 * <li>{@code OptionsReader}: ini, JSON, {@code UWSGI_*} environment and command line, through the uWSGI dialect of
 * {@code jetty-uwsgi-config}, into the value; its value readers are {@code OptionValues}; it resolves the paths uWSGI
 * reads after {@code chdir}.</li>
 * <li>{@code OptionsValidation}: the one {@code validate()}, every problem at once; unknown keys are notices, as uWSGI
 * warns.</li>
 * <li>{@link ControlCommand} ({@code --help}, {@code --stop}, {@code --reload}) and {@link Usage} (the help text, from
 * the table).</li>
 * </ul>
 *
 * <h2>Adding an option</h2>
 * <p>A change in one place, the table, plus the option's field:</p>
 * <ol>
 * <li>Its default, if it has one, as a {@code DEFAULT_...} constant of {@code LauncherOptions}, and its field there,
 * starting at that default, with a getter (the one Javadoc line says what it is for).</li>
 * <li>One entry in {@code Option}, the option table: key, aliases, argument ({@code null} for a key uWSGI has, {@code
 * UwsgiOptions.Argument.REQUIRED} or {@code NO} for one of ours), value name, repeatable, the help line (with the
 * default), and how it applies: a lambda that sets the field with a reader of {@code OptionValues} ({@code
 * values.number(entry, entry.displayValue(), MIN, MAX, DEFAULT_...)}, {@code Path.of(entry.displayValue())}, {@code
 * OptionValues.isTrue(entry)}, ...), which records a problem instead of throwing.</li>
 * <li>Only if it is checked against other options or the file system: one block in {@code OptionsValidation}. Only if
 * it is a path uWSGI reads after its {@code chdir}: one line in {@code OptionsReader}'s chdir resolution.</li>
 * </ol>
 * <p>The help text ({@link Usage}) and the uWSGI dialect's list of known keys follow from the table;
 * docs/configuration.md gets the same row.</p>
 */
package io.github.jettyuwsgi.launcher.options;
