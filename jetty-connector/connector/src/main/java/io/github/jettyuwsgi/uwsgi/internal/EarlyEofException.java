package io.github.jettyuwsgi.uwsgi.internal;

import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.EofException;

/**
 * The failure a request body cut short by the frontend ends with, as Jetty's HTTP connection ends one cut short by its
 * client: an {@link EofException}, so Jetty logs it quietly, that is also an {@link HttpException} with status 400 and
 * the reason "Early EOF", so an application that lets it through gets Jetty's 400 page, never a 500 with its trace.
 */
class EarlyEofException extends EofException implements HttpException
{
    private static final long serialVersionUID = 1L;

    EarlyEofException()
    {
        super("Early EOF");
    }

    @Override
    public int getCode()
    {
        return HttpStatus.BAD_REQUEST_400;
    }

    @Override
    public String getReason()
    {
        return getMessage();
    }
}
