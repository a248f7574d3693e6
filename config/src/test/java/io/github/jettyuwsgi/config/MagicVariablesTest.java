package io.github.jettyuwsgi.config;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One row per magic variable. Recorded with a file {@code <root>/etc/uwsgi/vassals/myapp.ini} of
 * {@code print = ...} lines, loaded as {@code cd <root>/etc/uwsgi && uwsgi --ini vassals/myapp.ini}; {@code <root>}
 * stands for the directory, which was {@code /tmp/uw} for the recording and is a temporary one here.
 */
class MagicVariablesTest
{
    @TempDir
    Path temp;
    ConfigFixture fixture;
    String root;

    @BeforeEach
    void setUp() throws Exception
    {
        fixture = new ConfigFixture(temp.toRealPath()).cwd("etc/uwsgi");
        root = fixture.root.toString();
    }

    private String expand(String text)
    {
        fixture.file("etc/uwsgi/vassals/myapp.ini", ConfigFixture.ini("[uwsgi]", "print = [" + text + "]"));
        String printed = fixture.load("--ini", "vassals/myapp.ini").get("print").orElseThrow();
        return printed.substring(1, printed.length() - 1);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', emptyValue = "", value = {
        // uwsgi output: v=/tmp/uw/etc/uwsgi V=2.0.21-debian h=vm o=vassals/myapp.ini O=vassals/myapp.ini
        "%v | <root>/etc/uwsgi",
        "%V | 2.0.21-debian",
        "%h | vm",
        "%o | vassals/myapp.ini",
        "%O | vassals/myapp.ini",
        // p=/tmp/uw/etc/uwsgi/vassals/myapp.ini P=... s=myapp.ini S=myapp.ini d=/tmp/uw/etc/uwsgi/vassals/ D=...
        "%p | <root>/etc/uwsgi/vassals/myapp.ini",
        "%P | <root>/etc/uwsgi/vassals/myapp.ini",
        "%s | myapp.ini",
        "%S | myapp.ini",
        "%d | <root>/etc/uwsgi/vassals/",
        "%D | <root>/etc/uwsgi/vassals/",
        // e=ini E=ini n=myapp N=myapp c=vassals C=vassals x=[] X=[]
        "%e | ini",
        "%E | ini",
        "%n | myapp",
        "%N | myapp",
        "%c | vassals",
        "%C | vassals",
        "%x | ''",
        "%X | ''",
        // k=2 u=0 U=root g=0 G=root b=/usr/bin/uwsgi-core
        "%k | 2",
        "%u | 0",
        "%U | root",
        "%g | 0",
        "%G | root",
        "%b | /usr/bin/uwsgi-core",
        // q=[] pct=% paren=%(x): an unknown letter is empty, %( survives for the placeholder pass
        "%q | ''",
        "%Z | ''",
        "%% | %",
        "100%%s | 100%s",
        "%(nope) | %(nope)",
        "%t | 1700000000",
        "%T | 1700000000123456"
    })
    void magicVariable(String variable, String expected)
    {
        assertEquals(expected.replace("<root>", root), expand(variable));
    }

    @Test
    void escapeIsTheEscapeCharacter()
    {
        // uwsgi output: esc=[] with the raw byte 0x1b between the brackets
        assertEquals("\033", expand("%["));
    }

    @Test
    void inodeIsTheConfigFilesInode() throws Exception
    {
        fixture.file("etc/uwsgi/vassals/myapp.ini", "[uwsgi]\nprint = %i %I\n");
        Object inode = Files.getAttribute(fixture.root.resolve("etc/uwsgi/vassals/myapp.ini"), "unix:ino", LinkOption.NOFOLLOW_LINKS);
        // uwsgi output: i=2155431 I=2155431 (ls -i vassals/myapp.ini: 2155431)
        assertEquals(inode + " " + inode, fixture.load("--ini", "vassals/myapp.ini").get("print").orElseThrow());
    }

    @Test
    void numberedVariablesAreTheDirectoryComponentsFromTheRoot()
    {
        // uwsgi output: 0=tmp 1=uw 2=etc 3=[uwsgi] 9=[] for /tmp/uw/etc/uwsgi/vassals/
        List<String> components = new ArrayList<>();
        for (Path part : fixture.root.resolve("etc/uwsgi/vassals"))
            components.add(part.toString());
        StringBuilder expected = new StringBuilder();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i <= 9; i++)
        {
            text.append('%').append(i).append(',');
            expected.append(i < components.size() ? components.get(i) : "").append(',');
        }
        assertEquals(expected.toString(), expand(text.toString()));
    }

    @ParameterizedTest(name = "djb33x({0}) = {1}")
    @CsvSource(delimiter = '|', value = {
        // uwsgi --ini vassals/myapp.ini from /tmp/uw/etc/uwsgi: j=9F1B8FB5
        "/tmp/uw/etc/uwsgi/vassals/myapp.ini | 9F1B8FB5",
        // uwsgi --ini réal/ü.ini from /tmp/uw: j=C4A1DECF (UTF-8 bytes >= 0x80 are sign-extended chars)
        "/tmp/uw/réal/ü.ini | C4A1DECF",
        // uwsgi --ini linkdir/link.ini (a symlink): j=91E63464; via ./linkdir/../linkdir/link.ini: j=EF839030
        "/tmp/uw/linkdir/link.ini | 91E63464",
        "/tmp/uw/./linkdir/../linkdir/link.ini | EF839030",
        // uwsgi --ini ./real2/../real2/target.ini: j=17B53B44
        "/tmp/uw/real2/target.ini | 17B53B44"
    })
    void hashIsUwsgisDjb33x(String path, String expected)
    {
        assertEquals(expected, MagicTable.djb33xHex(MagicTable.toBytes(path)));
    }

    @Test
    void percentAtTheEndOfTheFileDisappearsAndPercentNewlineJoinsLines()
    {
        // uwsgi --ini pct.ini --show-config, pct.ini = "[uwsgi]\na = 1%\nb = 2\nc = %" (no final newline):
        // "a = 1b = 2" and "c = "
        fixture.file("etc/uwsgi/pct.ini", "[uwsgi]\na = 1%\nb = 2\nc = %");
        UwsgiConfig config = fixture.load("--ini", "pct.ini");
        assertEquals(List.of("1b = 2"), config.getAll("a"));
        assertEquals(List.of(""), config.getAll("c"));
    }

    @Test
    void symlinkedConfigKeepsTheLinkName() throws Exception
    {
        // uwsgi --ini linkdir/link.ini (-> ../real2/target.ini) from /tmp/uw:
        // p=/tmp/uw/linkdir/link.ini d=/tmp/uw/linkdir/ s=link.ini n=link c=linkdir
        // and with ./linkdir/../linkdir/link.ini: p=/tmp/uw/./linkdir/../linkdir/link.ini (not normalized);
        // uwsgi --ini ./real2/../real2/target.ini: p=/tmp/uw/real2/target.ini (a real file is resolved)
        fixture.cwd = fixture.root;
        fixture.file("real2/target.ini", "[uwsgi]\nprint = p=%p d=%d s=%s n=%n c=%c\n");
        Files.createDirectories(fixture.root.resolve("linkdir"));
        Files.createSymbolicLink(fixture.root.resolve("linkdir/link.ini"), Path.of("../real2/target.ini"));
        assertEquals(("p=<root>/linkdir/link.ini d=<root>/linkdir/ s=link.ini n=link c=linkdir").replace("<root>", root),
            fixture.load("--ini", "linkdir/link.ini").get("print").orElseThrow());
        assertEquals(("p=<root>/./linkdir/../linkdir/link.ini d=<root>/./linkdir/../linkdir/ s=link.ini n=link c=linkdir").replace("<root>", root),
            fixture.load("--ini", "./linkdir/../linkdir/link.ini").get("print").orElseThrow());
        assertEquals(("p=<root>/real2/target.ini d=<root>/real2/ s=target.ini n=target c=real2").replace("<root>", root),
            fixture.load("--ini", "./real2/../real2/target.ini").get("print").orElseThrow());
    }
}
