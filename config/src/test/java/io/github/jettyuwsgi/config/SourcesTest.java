package io.github.jettyuwsgi.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ini line rules, {@code @(file)}, JSON, strict mode, unknown keys and the command line. Expected values from
 * uWSGI 2.0.21 runs noted on each test.
 */
class SourcesTest
{
    @TempDir
    Path temp;

    private ConfigFixture fixture()
    {
        return new ConfigFixture(temp);
    }

    @Test
    void iniLinesHaveNoInlineCommentsAndRepeatsAppend()
    {
        // uwsgi --ini a.ini --show-config (a.ini below; the [other] section is not read)
        ConfigFixture fixture = fixture().file("a.ini", ConfigFixture.ini("[uwsgi]", "socket = /tmp/a.sock",
            "socket = :3031", "threads = 4", "x = 5 ; note", "workers = 64   # maximum", "master", "flag =",
            "; a comment", "# another", "\t  k2 = %(k3 + 1)  \r", "k3 = 5", "[other]", "threads = 9"));
        assertEquals(String.join("\n", "", ";uWSGI instance configuration", "[uwsgi]", "ini = a.ini",
            "socket = /tmp/a.sock", "socket = :3031", "threads = 4", "x = 5 ; note", "workers = 64   # maximum",
            "master = ", "flag = ", "k2 = 6", "k3 = 5", ";end of configuration", "", ""), fixture.load("--ini", "a.ini").showConfig());
        assertTrue(fixture.load("--ini", "a.ini").isTrue("master"), "an empty boolean value is true");
    }

    @Test
    void atFileReadsPlainFilesAndDropsOneNewline()
    {
        // uwsgi --ini f.ini --show-config: f1 = hello, f2 = "content\n", f3 = noeol, print = %, last = 100
        ConfigFixture fixture = fixture().file("somefile.txt", "hello\n").file("two.txt", "content\n\n")
            .file("noeol.txt", "noeol")
            .file("f.ini", "[uwsgi]\nf1 = @(somefile.txt)\nf2 = @(two.txt)\nf3 = @(noeol.txt)\nprint = %q%Z%%\nlast = 100%");
        UwsgiConfig config = fixture.load("--ini", "f.ini");
        assertEquals(List.of("hello", "content\n", "noeol", "%", "100"),
            List.of(config.get("f1").get(), config.get("f2").get(), config.get("f3").get(), config.get("print").get(), config.get("last").get()));
    }

    @ParameterizedTest
    @CsvSource({"@(exec://echo hi)", "@(http://example.com/x)", "@(fd://3)", "@(-)"})
    void atFileRefusesSchemes(String reference)
    {
        // uWSGI runs "echo hi" for @(exec://echo hi) (f4 = hi); we refuse it: a config must not run code
        ConfigFixture fixture = fixture().file("x.ini", "[uwsgi]\n\nf4 = " + reference + "\n");
        ConfigException error = assertThrows(ConfigException.class, () -> fixture.load("--ini", "x.ini"));
        assertTrue(error.getMessage().startsWith("x.ini:3: config source"), error.getMessage());
        assertTrue(error.getMessage().contains("refused"), error.getMessage());
    }

    @Test
    void iniSchemesAreRefusedToo()
    {
        ConfigException error = assertThrows(ConfigException.class, () -> fixture().load("--ini", "exec://cat x.ini"));
        assertTrue(error.getMessage().contains("\"exec://cat x.ini\" refused"), error.getMessage());
    }

    @Test
    void missingAtFileIsAnError()
    {
        // uWSGI: open("nonexist.txt"): No such file or directory, and exit
        ConfigFixture fixture = fixture().file("f2.ini", "[uwsgi]\nx = @(nonexist.txt)\n");
        ConfigException error = assertThrows(ConfigException.class, () -> fixture.load("--ini", "f2.ini"));
        assertTrue(error.getMessage().startsWith("f2.ini:2: cannot read config file nonexist.txt"), error.getMessage());
    }

    @Test
    void jsonUsesTheSameKeys()
    {
        // uwsgi --json j.json --show-config; and --json j.json:other gives threads = 2
        String json = "{\"uwsgi\": {\"threads\": 8, \"socket\": [\":3031\", \"/tmp/x.sock\"], \"master\": true, "
            + "\"vacuum\": false, \"nul\": null, \"f\": 1.5, \"print\": \"json n=%n x=[%x] h=%(threads)\", \"obj\": {\"a\":1}},\n"
            + " \"other\": {\"threads\": 2}}\n";
        ConfigFixture fixture = fixture().file("j.json", json);
        assertEquals(String.join("\n", "", ";uWSGI instance configuration", "[uwsgi]", "json = j.json", "threads = 8",
            "socket = :3031", "socket = /tmp/x.sock", "master = 1", "vacuum = 0", "nul = 0", "f = 1.5",
            "print = json n=j x=[] h=8", ";end of configuration", "", ""), fixture.load("--json", "j.json").showConfig());
        assertEquals(List.of("2"), fixture.load("--json", "j.json:other").getAll("threads"));
        assertEquals(List.of("8"), fixture.load("j.json").getAll("threads"), "a bare .json argument");
    }

    @Test
    void aJsonUnicodeEscapeNeedsFourHexDigits()
    {
        // the fuzzer's json-unicode-escape-not-hex: a NumberFormatException out of the loader before
        assertEquals(List.of("\u00e9t\u00c9"), fixture().file("u.json", "{\"uwsgi\": {\"print\": \"\\u00e9t\\u00C9\"}}").load("--json", "u.json").getAll("print"));
        for (String escape : List.of("\\uwsgi", "\\u12", "\\u+123", "\\u\u0661\u0662\u0663\u0664"))
        {
            ConfigFixture fixture = fixture().file("bad.json", "{\"uwsgi\": {\"print\": \"" + escape + "\"}}");
            ConfigException x = assertThrows(ConfigException.class, () -> fixture.load("--json", "bad.json"), escape);
            assertTrue(x.getMessage().contains("(expected: four hex digits)"), x.getMessage());
        }
    }

    @Test
    void strictRejectsUnknownKeysEvenBeforeTheStrictLine()
    {
        // uwsgi --ini s1.ini: "[strict-mode] unknown config directive: before-strict"
        ConfigFixture fixture = fixture().file("s1.ini", "[uwsgi]\nbefore-strict = 1\nstrict = true\nprint = hi\n");
        ConfigException error = assertThrows(ConfigException.class, () -> fixture.load("--ini", "s1.ini"));
        assertTrue(error.getMessage().startsWith("s1.ini:2: unknown option \"before-strict\" with strict = true"), error.getMessage());
    }

    @Test
    void strictAllowsSetPhAndSuggestsTheOption()
    {
        // uwsgi --ini s2.ini: "[strict-mode] unknown config directive: thread" (set-ph = ok=1 was accepted)
        ConfigFixture fixture = fixture().file("s2.ini", "[uwsgi]\nstrict = true\nset-ph = ok=1\nprint = %(ok)\nthread = 4\n");
        ConfigException error = assertThrows(ConfigException.class, () -> fixture.load("--ini", "s2.ini"));
        assertEquals("s2.ini:5: unknown option \"thread\" with strict = true; did you mean \"threads\"?", error.getMessage());
    }

    @Test
    void unknownKeysNeverUsedAsPlaceholdersAreReportedWithASuggestion()
    {
        ConfigFixture fixture = fixture().file("u.ini", "[uwsgi]\nthread = 4\npost buffering = 8678\nbase = /opt\nchdir = %(base)/app\nzzqqxx = 1\n");
        UwsgiConfig config = fixture.load("--ini", "u.ini");
        assertEquals(List.of(
            new UnknownOption("thread", new Origin("u.ini", 2), false, Optional.of("threads")),
            new UnknownOption("post buffering", new Origin("u.ini", 3), false, Optional.of("post-buffering")),
            new UnknownOption("base", new Origin("u.ini", 4), true, Optional.empty()),
            new UnknownOption("zzqqxx", new Origin("u.ini", 6), false, Optional.empty())), config.unknownOptions());
        assertEquals(List.of(
            "u.ini:2: unknown option \"thread\" is never used as a placeholder; did you mean \"threads\"?",
            "u.ini:3: unknown option \"post buffering\" is never used as a placeholder; did you mean \"post-buffering\"?",
            "u.ini:6: unknown option \"zzqqxx\" is never used as a placeholder (uWSGI ignores it)"), config.warnings());
        assertEquals("/opt/app", config.get("chdir").orElseThrow());
    }

    @Test
    void setPhOfAnOptionNameIsAnError()
    {
        // uWSGI: "you cannot use %s as a placeholder, it is already available as an option"
        ConfigFixture fixture = fixture().file("p.ini", "[uwsgi]\nset-ph = threads=4\n");
        ConfigException error = assertThrows(ConfigException.class, () -> fixture.load("--ini", "p.ini"));
        assertTrue(error.getMessage().startsWith("p.ini:2: \"threads\" cannot be a placeholder"), error.getMessage());
    }

    @Test
    void declareOptionExpandsArgumentsIntoHiddenEntries()
    {
        // declare-option = name=template with $1..$n; the expansion is applied but not shown by --show-config
        ConfigFixture fixture = fixture().file("d.ini", "[uwsgi]\ndeclare-option = app-socket=socket=/run/$1.sock;chmod-socket=$2\napp-socket = demo 660\n");
        UwsgiConfig config = fixture.load("--ini", "d.ini");
        assertEquals(List.of("/run/demo.sock"), config.getAll("socket"));
        assertEquals(List.of("660"), config.getAll("chmod-socket"));
        assertFalse(config.showConfig().contains("socket = /run/demo.sock"));
        assertTrue(config.showConfig().contains("app-socket = demo 660\n"));
        assertEquals(List.of(), config.unknownOptions());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--thread 4 | command line --thread: unrecognized option --thread (did you mean --threads?)",
        "--threads | command line --threads: option --threads requires a value (expected: --threads VALUE)",
        "--master=1 | command line --master=1: option --master takes no value (expected: --master)",
        "-Y | command line -Y: unknown option -Y"
    })
    void commandLineErrors(String args, String message)
    {
        ConfigException error = assertThrows(ConfigException.class, () -> fixture().load(args.split(" ")));
        assertEquals(message, error.getMessage());
    }

    @Test
    void commandLineFormsMirrorTheIniKeys()
    {
        // getopt_long forms: --k v, --k=v, -s v, -sv, bundled no-argument flags, optional argument only with '='
        UwsgiConfig config = fixture().load("--threads", "8", "--socket=:1", "-s", ":2", "-s:3", "-MT", "--chmod-socket", "--threads", "9");
        assertEquals(List.of(":1", ":2", ":3"), config.getAll("socket"));
        assertEquals("9", config.get("threads").orElseThrow());
        assertEquals(List.of("true"), config.getAll("master"));
        assertEquals(List.of("true"), config.getAll("enable-threads"));
        assertEquals(List.of("true"), config.getAll("chmod-socket"));
        assertEquals("command line --threads", config.lastEntry("threads").orElseThrow().origin().toString());
    }

    @Test
    void environmentOptionsComeFirstAndSkipUwsgisOwnVariables()
    {
        UwsgiConfig config = fixture().env("UWSGI_THREADS", "3").env("UWSGI_RELOADS", "2").env("UWSGI_POST_BUFFERING", "8192")
            .load("--threads", "5");
        // in environ order, as uWSGI walks environ
        assertEquals(List.of("threads", "post-buffering", "threads"), config.entries().stream().map(ConfigEntry::key).toList());
        assertEquals("5", config.get("threads").orElseThrow());
        assertEquals("environment UWSGI_THREADS", config.entries().get(0).origin().toString());
        assertEquals("environment UWSGI_POST_BUFFERING", config.entries().get(1).origin().toString());
    }
}
