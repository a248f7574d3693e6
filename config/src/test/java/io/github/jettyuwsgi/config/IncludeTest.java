package io.github.jettyuwsgi.config;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ini =} includes and sections, {@code include}, {@code inherit}, bare file arguments, and the upper-case
 * "first config" magic variables. Expected values: uWSGI 2.0.21 runs noted on each test.
 */
class IncludeTest
{
    static final String MAIN = ConfigFixture.ini("[uwsgi]",
        "print = main o=%o x=[%x] n=%n O=%O N=%N",
        "before = 1",
        "ini = inc/child.ini",
        "print = after include n=%n",
        "ini = :extra",
        "ini = inc/child.ini:sec2",
        "threads = 2",
        "[extra]",
        "print = extra section o=%o x=[%x] n=%n s=%s O=%O X=[%X]",
        "extrakey = yes");
    static final String CHILD = ConfigFixture.ini("[uwsgi]",
        "print = child o=%o x=[%x] n=%n c=%c O=%O N=%N C=%C",
        "childkey = %(before)",
        "[sec2]",
        "print = child sec2 o=%o x=[%x] X=[%X]");

    @TempDir
    Path temp;
    ConfigFixture fixture;

    @BeforeEach
    void setUp() throws Exception
    {
        fixture = new ConfigFixture(temp.toRealPath()).file("main.ini", MAIN).file("inc/child.ini", CHILD);
    }

    @Test
    void iniIncludesAndSections()
    {
        // uwsgi --ini main.ini:uwsgi --show-config (in a directory named "uw", hence C=uw);
        // ":extra" is looked up in the LAST file read (inc/child.ini), which has no such section
        UwsgiConfig config = fixture.load("--ini", "main.ini:uwsgi");
        String dir = fixture.root.getFileName().toString();
        assertEquals(List.of(
            "main o=main.ini x=[uwsgi] n=main O=main.ini N=main",
            "child o=inc/child.ini x=[] n=child c=inc O=main.ini N=main C=" + dir,
            "after include n=main",
            "child sec2 o=inc/child.ini x=[sec2] X=[uwsgi]"), config.getAll("print"));
        assertEquals(List.of("1"), config.getAll("childkey"));
        assertEquals(List.of(), config.getAll("extrakey"));
        assertTrue(config.warnings().contains("main.ini:6: no section [extra] in ini file inc/child.ini"), config.warnings().toString());
        assertEquals(String.join("\n", "",
            ";uWSGI instance configuration",
            "[uwsgi]",
            "ini = main.ini:uwsgi",
            "print = main o=main.ini x=[uwsgi] n=main O=main.ini N=main",
            "before = 1",
            "ini = inc/child.ini",
            "print = child o=inc/child.ini x=[] n=child c=inc O=main.ini N=main C=" + dir,
            "childkey = 1",
            "print = after include n=main",
            "ini = :extra",
            "ini = inc/child.ini:sec2",
            "print = child sec2 o=inc/child.ini x=[sec2] X=[uwsgi]",
            "threads = 2",
            ";end of configuration", "", ""), config.showConfig());
    }

    @Test
    void bareFileArgumentComesAfterAllOptionsAndSetsNoUpperCaseVariables()
    {
        // uwsgi main.ini --threads 9 --socket-timeout=7 -p 3 --master --show-config
        UwsgiConfig config = fixture.load("main.ini", "--threads", "9", "--socket-timeout=7", "-p", "3", "--master");
        List<String> shown = List.of(config.showConfig().split("\n"));
        assertEquals(List.of("threads = 9", "socket-timeout = 7", "processes = 3", "master = true",
            "print = main o=main.ini x=[] n=main O= N=", "before = 1", "ini = inc/child.ini"), shown.subList(3, 10));
        assertEquals(List.of("9", "2"), config.getAll("threads"));
        assertEquals("2", config.get("threads").orElseThrow(), "the later value wins");
    }

    @Test
    void upperCaseFirstConfigShowsItsSectionOnceRead()
    {
        // uwsgi --ini m2.ini:uwsgi --ini other.ini:
        // first O=m2.ini o=m2.ini / other O=m2.ini:uwsgi o=other.ini X=uwsgi / sec O=m2.ini:uwsgi o=m2.ini x=sec X=uwsgi
        fixture.file("m2.ini", "[uwsgi]\nprint = first O=%O o=%o\n[sec]\nprint = sec O=%O o=%o x=%x X=%X\n")
            .file("other.ini", "[uwsgi]\nprint = other O=%O o=%o X=%X\nini = :sec\nini = m2.ini:sec\n");
        UwsgiConfig config = fixture.load("--ini", "m2.ini:uwsgi", "--ini", "other.ini");
        assertEquals(List.of("first O=m2.ini o=m2.ini", "other O=m2.ini:uwsgi o=other.ini X=uwsgi",
            "sec O=m2.ini:uwsgi o=m2.ini x=sec X=uwsgi"), config.getAll("print"));
        assertTrue(config.warnings().contains("other.ini:3: no section [sec] in ini file other.ini"), config.warnings().toString());
    }

    @Test
    void includeIsImmediateAndInheritComesLastUnexpanded()
    {
        // UWSGI_SOCKET_TIMEOUT=11 UWSGI_MY_PH=42 uwsgi --ini inh.ini --show-config --print 'cli %(my-ph) $(HOME)'
        fixture.file("inh.ini", "[uwsgi]\nprint = inh start\ninherit = inc/base.ini\ninclude = inc/base2.ini\nmine = 1\n")
            .file("inc/base.ini", "[uwsgi]\nprint = base n=%n home=$(HOME) mine=%(mine)\nbasekey = b\n")
            .file("inc/base2.ini", "[uwsgi]\nprint = base2 n=%n N=%N home=$(HOME) mine=%(mine)\n")
            // the environ order bash gave uWSGI for that command line; the loader follows the order it is given
            .env("UWSGI_MY_PH", "42").env("UWSGI_SOCKET_TIMEOUT", "11");
        UwsgiConfig config = fixture.load("--ini", "inh.ini", "--show-config", "--print", "cli %(my-ph) $(HOME)");
        assertEquals(String.join("\n", "",
            ";uWSGI instance configuration",
            "[uwsgi]",
            "my-ph = 42",
            "socket-timeout = 11",
            "ini = inh.ini",
            "print = inh start",
            "inherit = inc/base.ini",
            "include = inc/base2.ini",
            "print = base2 n=base2 N=inh home=/root mine=1",
            "mine = 1",
            "show-config = true",
            "print = cli 42 /root",
            "print = base n=base home=$(HOME) mine=%(mine)",
            "basekey = b",
            ";end of configuration", "", ""), config.showConfig());
        assertEquals("inc/base.ini:3", config.lastEntry("basekey").orElseThrow().origin().toString());
    }

    @Test
    void missingFileNamesTheLineThatAskedForIt()
    {
        // uWSGI: realpath() of nonexist.ini failed: No such file or directory
        fixture.file("bad.ini", "[uwsgi]\n\nini = nonexist.ini\n");
        ConfigException error = assertThrows(ConfigException.class, () -> fixture.load("--ini", "bad.ini"));
        assertTrue(error.getMessage().startsWith("bad.ini:3: cannot read config file: nonexist.ini"), error.getMessage());
    }

    @Test
    void includeCycleIsAnErrorNotAStackOverflow()
    {
        fixture.file("loop.ini", "[uwsgi]\nini = loop.ini\n");
        ConfigException error = assertThrows(ConfigException.class, () -> fixture.load("--ini", "loop.ini"));
        assertTrue(error.getMessage().contains("nested more than 64 deep"), error.getMessage());
    }
}
