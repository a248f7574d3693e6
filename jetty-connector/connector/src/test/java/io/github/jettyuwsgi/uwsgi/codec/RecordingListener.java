package io.github.jettyuwsgi.uwsgi.codec;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;


/**
 * Records what a {@link UwsgiParser} reports, joining body pieces, so that a packet parsed whole, byte by byte or split
 * anywhere can be compared as one result.
 */
class RecordingListener implements UwsgiParser.Listener
{
    final List<String> events = new ArrayList<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    UwsgiVars vars;
    BodyFraming framing;
    UwsgiException failure;
    boolean bodyComplete;
    /** Stop after each callback, as the connection does, to prove that parsing resumes correctly. */
    boolean stopAlways;

    @Override
    public boolean onHeader(int modifier1, int datasize, int modifier2)
    {
        events.add("header " + modifier1 + " " + datasize + " " + modifier2);
        return stopAlways;
    }

    @Override
    public boolean onVars(UwsgiVars vars, BodyFraming framing)
    {
        this.vars = vars;
        this.framing = framing;
        events.add("vars " + vars + " " + framing);
        return stopAlways;
    }

    @Override
    public boolean onContent(ByteBuffer content, boolean last)
    {
        if (bodyComplete)
            throw new AssertionError("content after the last chunk");
        byte[] bytes = new byte[content.remaining()];
        content.get(bytes);
        body.writeBytes(bytes);
        bodyComplete = last;
        return stopAlways;
    }

    @Override
    public void onFailure(UwsgiException failure)
    {
        if (this.failure != null)
            throw new AssertionError("second failure: " + failure.getMessage());
        this.failure = failure;
        events.add("failure " + failure.getMessage());
    }

    /** The whole outcome as one comparable string. */
    String summary()
    {
        return String.join("\n", events) + "\nbody " + body.size() + " " + body + " complete=" + bodyComplete;
    }
}
