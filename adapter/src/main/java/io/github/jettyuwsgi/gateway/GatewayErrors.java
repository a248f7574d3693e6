package io.github.jettyuwsgi.gateway;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * <p>The error stream, PEP 3333's {@code wsgi.errors} ({@link EnvironKeys#ERRORS}): a text stream accepting any
 * Unicode, usually ending in the container's log. Portable applications call {@link #flush()} after writing.
 * Applications never close it, which is why there is no {@code close()}.</p>
 */
public interface GatewayErrors
{
    /**
     * @param text any text, never {@code null}
     */
    void write(String text);

    /**
     * @param texts texts written one after the other, with no separator added (as Python's {@code writelines})
     */
    default void writelines(Iterable<String> texts)
    {
        for (String text : texts)
        {
            write(text);
        }
    }

    /**
     * <p>Pushes out what was written; may do nothing.</p>
     */
    void flush();

    /**
     * @param lineSink receives each complete line, without its {@code \n}; a partial line on {@link #flush()}
     * @return an error stream that cuts its text into lines, as a log wants them
     */
    static GatewayErrors lines(Consumer<String> lineSink)
    {
        Objects.requireNonNull(lineSink, "lineSink");
        return new GatewayErrors()
        {
            private final StringBuilder pending = new StringBuilder();

            @Override
            public synchronized void write(String text)
            {
                Objects.requireNonNull(text, "text");
                for (int i = 0; i < text.length(); i++)
                {
                    char c = text.charAt(i);
                    if (c == '\n')
                        emit();
                    else
                        pending.append(c);
                }
            }

            @Override
            public synchronized void flush()
            {
                if (pending.length() > 0)
                    emit();
            }

            private void emit()
            {
                String line = pending.toString();
                pending.setLength(0);
                lineSink.accept(line);
            }
        };
    }
}
