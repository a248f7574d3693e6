package io.github.jettyuwsgi.gateway;

/**
 * <p>The one unchecked exception this module throws: a broken rule of the gateway contract (a bad status or header,
 * a second {@code start_response} without {@code excInfo}, an application that returned {@code null}) or a failure
 * of the bridge itself. Messages read "what: actual (expected: ...)".</p>
 */
public class GatewayException extends RuntimeException
{
    public GatewayException(String message)
    {
        super(message);
    }

    public GatewayException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
