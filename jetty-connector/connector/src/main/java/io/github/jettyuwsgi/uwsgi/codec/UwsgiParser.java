package io.github.jettyuwsgi.uwsgi.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.util.BufferUtil;

/**
 * A resumable push parser for one uwsgi packet: header, vars block, then the request body.
 *
 * <p>The connection feeds it whatever bytes arrived; the parser keeps its place across calls, so a packet may be split
 * anywhere. Events go to a {@link Listener}; a listener method returning {@code true} stops parsing (the request was
 * dispatched, or content was handed to the application and must be consumed first: that is the back-pressure).</p>
 * <pre>
 * packet := header vars body
 * header := u8 modifier1, u16 datasize (LITTLE-endian), u8 modifier2
 * vars   := datasize bytes of { u16le keysize, key[keysize], u16le valsize, val[valsize] }*   keysize &gt; 0
 * body   := CONTENT_LENGTH bytes | a chunked stream (no CONTENT_LENGTH, HTTP_TRANSFER_ENCODING: chunked) | nothing
 * </pre>
 * <p>Exactly one packet is parsed: bytes after the body are discarded, never read as a second request (a persistent uwsgi
 * socket lets a crafted body become a request, uWSGI issue #2336). Any violation is reported once through
 * {@link Listener#onFailure(UwsgiException)}, after which the parser discards all input.</p>
 */
public class UwsgiParser
{
    /** Where the parser is in the packet. */
    public enum State
    {
        /** Reading the 4-byte header. */
        HEADER,
        /** Reading the vars block. */
        VARS,
        /** Reading a body of known length. */
        CONTENT,
        /** Decoding a chunked body. */
        CHUNKED_CONTENT,
        /** The packet is complete; further bytes are discarded. */
        END,
        /** A violation was reported; further bytes are discarded. */
        FAILED
    }

    /**
     * Receives the parts of the packet. Returning {@code true} from a method stops the current {@link #parse(ByteBuffer)}
     * call; the next call resumes where it stopped.
     */
    public interface Listener
    {
        /**
         * The 4-byte header is complete.
         *
         * @return true to stop parsing, e.g. for a packet type the caller answers itself (ping)
         */
        default boolean onHeader(int modifier1, int datasize, int modifier2)
        {
            return false;
        }

        /**
         * The vars block is complete and the body framing is known.
         *
         * @return true to stop parsing, e.g. because the request was dispatched
         */
        default boolean onVars(UwsgiVars vars, BodyFraming framing)
        {
            return false;
        }

        /**
         * Body bytes. Not called for a request without a body.
         *
         * @param content a view of the caller's buffer (or of it, decoded); consume or retain it before the buffer is reused
         * @param last whether this completes the body ({@code content} may then be empty)
         * @return true to stop parsing until the content has been consumed
         */
        default boolean onContent(ByteBuffer content, boolean last)
        {
            return false;
        }

        /**
         * The packet broke the protocol or a limit; called at most once, and nothing else is called afterwards.
         */
        default void onFailure(UwsgiException failure)
        {
        }
    }

    private final Listener listener;
    private final int maxVarsSize;
    private final KnownVars knownVars;
    private final byte[] header = new byte[Uwsgi.HEADER_LENGTH];
    private State state = State.HEADER;
    private int headerCursor;
    private int modifier1;
    private int datasize;
    private int modifier2;
    private byte[] vars;
    private int varsCursor;
    private long contentRemaining;
    private ChunkedBodyDecoder chunkedDecoder;
    private boolean varsComplete;

    /**
     * @param listener receives the packet's parts
     * @param maxVarsSize the largest vars block accepted (uWSGI's {@code buffer-size}), at most {@link Uwsgi#MAX_DATASIZE}
     */
    public UwsgiParser(Listener listener, int maxVarsSize)
    {
        this(listener, maxVarsSize, new KnownVars());
    }

    /**
     * @param listener receives the packet's parts
     * @param maxVarsSize the largest vars block accepted (uWSGI's {@code buffer-size}), at most {@link Uwsgi#MAX_DATASIZE}
     * @param knownVars the values remembered from earlier packets, shared with the parsers of other connections
     */
    public UwsgiParser(Listener listener, int maxVarsSize, KnownVars knownVars)
    {
        if (maxVarsSize < 0 || maxVarsSize > Uwsgi.MAX_DATASIZE)
            throw new IllegalArgumentException("maxVarsSize: " + maxVarsSize + " (expected: 0 to " + Uwsgi.MAX_DATASIZE + ")");
        this.listener = listener;
        this.maxVarsSize = maxVarsSize;
        this.knownVars = knownVars;
    }

    public State getState()
    {
        return state;
    }

    public int getModifier1()
    {
        return modifier1;
    }

    public int getModifier2()
    {
        return modifier2;
    }

    /**
     * @return whether the vars block has been parsed, i.e. a request can be built and answered
     */
    public boolean isVarsComplete()
    {
        return varsComplete;
    }

    /**
     * Parses as much of the buffer as it can.
     *
     * @param buffer input bytes; its position advances over what was consumed
     * @return true when the listener asked to stop, or the packet is complete or failed
     */
    public boolean parse(ByteBuffer buffer)
    {
        try
        {
            while (true)
            {
                switch (state)
                {
                    case HEADER ->
                    {
                        if (!parseHeader(buffer))
                            return false;
                        if (listener.onHeader(modifier1, datasize, modifier2))
                            return true;
                    }
                    case VARS ->
                    {
                        UwsgiVars parsed = parseVars(buffer);
                        if (parsed == null)
                            return false;
                        varsComplete = true;
                        BodyFraming framing = BodyFraming.of(parsed);
                        state = switch (framing.kind())
                        {
                            case NONE -> State.END;
                            case LENGTH -> State.CONTENT;
                            case CHUNKED -> State.CHUNKED_CONTENT;
                        };
                        contentRemaining = framing.contentLength();
                        if (framing.kind() == BodyFraming.Kind.CHUNKED)
                            chunkedDecoder = new ChunkedBodyDecoder();
                        if (listener.onVars(parsed, framing))
                            return true;
                    }
                    case CONTENT ->
                    {
                        if (!buffer.hasRemaining())
                            return false;
                        int length = (int)Math.min(contentRemaining, buffer.remaining());
                        ByteBuffer content = buffer.slice(buffer.position(), length);
                        buffer.position(buffer.position() + length);
                        contentRemaining -= length;
                        boolean last = contentRemaining == 0;
                        if (last)
                            state = State.END;
                        if (listener.onContent(content, last))
                            return true;
                    }
                    case CHUNKED_CONTENT ->
                    {
                        if (!buffer.hasRemaining())
                            return false;
                        boolean stop = chunkedDecoder.decode(buffer, content -> listener.onContent(content, false));
                        if (chunkedDecoder.isComplete())
                        {
                            state = State.END;
                            listener.onContent(BufferUtil.EMPTY_BUFFER, true);
                            return true;
                        }
                        if (stop)
                            return true;
                    }
                    case END, FAILED ->
                    {
                        // One packet per connection: whatever follows the body is never parsed.
                        buffer.position(buffer.limit());
                        return true;
                    }
                }
            }
        }
        catch (UwsgiException x)
        {
            fail(buffer, x);
            return true;
        }
    }

    private void fail(ByteBuffer buffer, UwsgiException failure)
    {
        state = State.FAILED;
        vars = null;
        buffer.position(buffer.limit());
        listener.onFailure(failure);
    }

    /**
     * Tells the parser that the frontend closed its side.
     *
     * @return null when the close came at a clean point (before any byte, or after the body), otherwise the failure
     * that describes the truncation; the listener is not called
     */
    public UwsgiException atEOF()
    {
        UwsgiException failure = switch (state)
        {
            case HEADER -> headerCursor == 0 ? null : new UwsgiException("packet header: " + headerCursor + " bytes before end of stream (expected: " + Uwsgi.HEADER_LENGTH + ")");
            case VARS -> new UwsgiException("vars block: " + varsCursor + " bytes before end of stream (expected: " + datasize + ")");
            case CONTENT -> new UwsgiException("body: end of stream with " + contentRemaining + " bytes missing (expected: CONTENT_LENGTH bytes)");
            case CHUNKED_CONTENT -> new UwsgiException("chunked body: end of stream before the last chunk (expected: a zero-size chunk)");
            case END, FAILED -> null;
        };
        if (failure != null)
        {
            vars = null;
            state = State.FAILED;
        }
        return failure;
    }

    private boolean parseHeader(ByteBuffer buffer)
    {
        if (headerCursor == 0 && buffer.remaining() >= Uwsgi.HEADER_LENGTH)
        {
            buffer.get(header);
            headerCursor = Uwsgi.HEADER_LENGTH;
        }
        else
        {
            int length = Math.min(Uwsgi.HEADER_LENGTH - headerCursor, buffer.remaining());
            buffer.get(header, headerCursor, length);
            headerCursor += length;
            if (headerCursor < Uwsgi.HEADER_LENGTH)
                return false;
        }
        modifier1 = header[0] & 0xFF;
        datasize = getUint16Le(header, 1);
        modifier2 = header[3] & 0xFF;
        if (looksLikeHttp(header))
            throw new UwsgiException("packet header: '" + new String(header, StandardCharsets.ISO_8859_1) + "' is plain HTTP, read as datasize " + datasize +
                " (expected: a uwsgi packet; send HTTP to an http-socket, or use uwsgi_pass rather than proxy_pass)");
        if (datasize > maxVarsSize)
            throw new UwsgiException("vars block size: " + datasize + " bytes (expected: at most " + maxVarsSize + "; raise buffer-size)");
        state = State.VARS;
        vars = null;
        varsCursor = 0;
        return true;
    }

    /**
     * An HTTP request line starts with an upper-case method and a space or more letters; no uwsgi request modifier1 is an
     * upper-case ASCII letter (72, 'H', is uwsgi's own marker for a raw HTTP <em>response</em>).
     */
    private static boolean looksLikeHttp(byte[] header)
    {
        for (byte b : header)
        {
            if (!(b >= 'A' && b <= 'Z') && b != ' ' && b != '/')
                return false;
        }
        return true;
    }

    private UwsgiVars parseVars(ByteBuffer buffer)
    {
        if (varsCursor == 0 && buffer.hasArray() && buffer.remaining() >= datasize)
        {
            // Fast path: the whole block is in a heap buffer, decode it in place.
            int offset = buffer.arrayOffset() + buffer.position();
            buffer.position(buffer.position() + datasize);
            return decodeVars(buffer.array(), offset, datasize, knownVars);
        }
        if (vars == null)
            vars = new byte[datasize];
        int length = Math.min(datasize - varsCursor, buffer.remaining());
        buffer.get(vars, varsCursor, length);
        varsCursor += length;
        if (varsCursor < datasize)
            return null;
        byte[] block = vars;
        vars = null;
        return decodeVars(block, 0, datasize, knownVars);
    }

    /**
     * Decodes a complete vars block, remembering nothing across calls.
     *
     * @param block the bytes
     * @param offset where the block starts
     * @param length the block size (the header's datasize)
     * @return the vars, in order
     * @throws UwsgiException when a length runs past the block or a key is empty
     */
    public static UwsgiVars decodeVars(byte[] block, int offset, int length)
    {
        return decodeVars(block, offset, length, new KnownVars());
    }

    /**
     * Decodes a complete vars block.
     *
     * @param block the bytes
     * @param offset where the block starts
     * @param length the block size (the header's datasize)
     * @param knownVars the values remembered from earlier packets, which repeated values are taken from
     * @return the vars, in order
     * @throws UwsgiException when a length runs past the block or a key is empty
     */
    public static UwsgiVars decodeVars(byte[] block, int offset, int length, KnownVars knownVars)
    {
        UwsgiVars result = new UwsgiVars(countVars(block, offset, length));
        ByteBuffer view = ByteBuffer.wrap(block);
        int end = offset + length;
        int position = offset;
        while (position < end)
        {
            int at = position - offset;
            if (end - position < 2)
                throw new UwsgiException("var at offset " + at + ": " + (end - position) + " byte left for the key size (expected: 2)");
            int keySize = getUint16Le(block, position);
            position += 2;
            if (keySize == 0)
                throw new UwsgiException("var at offset " + at + ": key size 0 (expected: 1 to 65535)");
            if (keySize > end - position)
                throw new UwsgiException("var at offset " + at + ": key size " + keySize + " (expected: at most the " + (end - position) + " bytes left in the block)");
            // Well-known names are shared constants: no new String for REQUEST_METHOD, HTTP_USER_AGENT and the like.
            KnownVars.Name known = KnownVars.name(view, position, keySize);
            String key = known != null ? known.name() : new String(block, position, keySize, StandardCharsets.ISO_8859_1);
            position += keySize;
            if (end - position < 2)
                throw new UwsgiException("var " + key + ": " + (end - position) + " bytes left for the value size (expected: 2)");
            int valueSize = getUint16Le(block, position);
            position += 2;
            if (valueSize > end - position)
                throw new UwsgiException("var " + key + ": value size " + valueSize + " (expected: at most the " + (end - position) + " bytes left in the block)");
            result.add(key, knownVars.value(known, block, position, valueSize));
            position += valueSize;
        }
        return result;
    }

    /**
     * @return how many vars the block holds, counted by their sizes alone, so that {@link UwsgiVars} is made at its
     * size; a block whose sizes run past its end counts what fits (decoding it then reports the error)
     */
    private static int countVars(byte[] block, int offset, int length)
    {
        int end = offset + length;
        int position = offset;
        int count = 0;
        while (end - position >= 4)
        {
            position += 2 + getUint16Le(block, position);
            if (end - position < 2)
                break;
            position += 2 + getUint16Le(block, position);
            if (position > end)
                break;
            count++;
        }
        return count;
    }

    /**
     * Reads an unsigned 16-bit <b>little-endian</b> number: bytes {@code 0x2c 0x01} are 300, {@code 0xff 0x7f} are 32767.
     */
    static int getUint16Le(byte[] bytes, int offset)
    {
        return (bytes[offset] & 0xFF) | (bytes[offset + 1] & 0xFF) << 8;
    }
}
