package io.github.jettyuwsgi.gateway;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the gateway's request side and its validator: an environ with fuzzed CGI values (the
 * strings a server copies from the request) and an application that reads its input, writes to its errors stream
 * and answers with a fuzzed status, headers and body run through {@link GatewayValidator} (both profiles) and
 * {@link GatewayExchange}, and the environ's own helpers ({@link Environ#requestUrl}, {@link Environ#shiftPathInfo})
 * run on the same values. Only {@link GatewayException} (the validator's {@link GatewayValidator.Violation} among
 * them) may escape: no input becomes a NullPointerException, an index error or a number format error.
 */
public class GatewayValidatorFuzzTest
{
    private static final String[] CGI_KEYS = {"REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "CONTENT_TYPE",
        "CONTENT_LENGTH", "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "HTTP_HOST", "HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"};

    @FuzzTest(maxDuration = "15s")
    public void exchange(FuzzedDataProvider data)
    {
        byte[] body = data.consumeBytes(64);
        Environ environ = new Environ();
        for (String key : CGI_KEYS)
        {
            if (data.consumeBoolean())
                environ.put(key, data.consumeString(24));
        }
        environ.put(EnvironKeys.VERSION, Environ.VERSION_1_0).put(EnvironKeys.URL_SCHEME, data.pickValue(new String[]{"http", "https", "ftp", ""}))
            .put(EnvironKeys.INPUT, GatewayInput.of(new ByteArrayInputStream(body), data.consumeInt(0, 128)))
            .put(EnvironKeys.ERRORS, GatewayErrors.lines(line -> { }))
            .put(EnvironKeys.MULTITHREAD, true).put(EnvironKeys.MULTIPROCESS, false).put(EnvironKeys.RUN_ONCE, false);

        try
        {
            environ.copy().requestUrl(data.consumeBoolean());
            environ.copy().shiftPathInfo();
        }
        catch (GatewayException x)
        {
            // a typed refusal
        }

        int readSize = data.consumeInt(-2, 100);
        String status = data.consumeString(32);
        List<Header> headers = new ArrayList<>();
        int count = data.consumeInt(0, 4);
        for (int i = 0; i < count; i++)
        {
            headers.add(new Header(data.consumeString(16), data.consumeString(32)));
        }
        boolean secondStart = data.consumeBoolean();
        String error = data.consumeString(16);
        byte[] responseBody = data.consumeRemainingAsBytes();
        GatewayApplication application = (env, startResponse) ->
        {
            env.input().readline(readSize);
            env.input().read(readSize);
            env.errors().write(error);
            startResponse.start(status, headers);
            if (secondStart)
                startResponse.start(status, headers);
            return ResponseBody.of(responseBody);
        };
        for (GatewayValidator.Profile profile : GatewayValidator.Profile.values())
        {
            try
            {
                new GatewayExchange(new RecordingSink()).run(new GatewayValidator(profile, warning -> { }).wrap(application), environ.copy());
            }
            catch (GatewayException | IOException x)
            {
                // a typed refusal, or the sink's own I/O
            }
            catch (Exception x)
            {
                throw new AssertionError("untyped failure: " + x, x);
            }
        }
    }
}
