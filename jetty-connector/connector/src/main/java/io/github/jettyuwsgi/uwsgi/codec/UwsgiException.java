package io.github.jettyuwsgi.uwsgi.codec;

/**
 * The one exception of the uwsgi codec: a packet that breaks the wire format or our limits.
 *
 * <p>The parser reports it once through its listener and then stops; the connection logs the message and closes
 * (or, when the vars block was complete and a request can still be built, answers 400). Messages follow the form
 * {@code "what: actual (expected: ...)"} so that an operator reading a log line knows both what arrived and what the
 * protocol allows, e.g. {@code "vars block size: 70000 bytes (expected: at most 65535; raise buffer-size)"}.</p>
 */
public class UwsgiException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public UwsgiException(String message)
    {
        super(message);
    }

    public UwsgiException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
