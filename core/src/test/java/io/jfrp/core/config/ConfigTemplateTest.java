package io.jfrp.core.config;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigTemplateTest {

    private final List<String> warnings = new ArrayList<>();
    private final List<ConfigProblem> problems = new ArrayList<>();

    private String render(String text, Map<String, String> env) {
        return ConfigTemplate.render(text, env, "frpc.toml", warnings, problems);
    }

    @Test
    void frpsRangePairMappingMakesOneProxyPerPair() {
        String out = render("""
                serverPort = 7000
                {{- range $_, $v := parseNumberRangePair "13010-13012,13014" "23010-23012,23014" }}
                [[proxies]]
                name = "tcp-{{ $v.First }}"
                localPort = {{ $v.First }}
                remotePort = {{ $v.Second }}
                {{- end }}
                """, Map.of());
        assertThat(problems).isEmpty();
        assertThat(out).isEqualTo("""
                serverPort = 7000
                [[proxies]]
                name = "tcp-13010"
                localPort = 13010
                remotePort = 23010
                [[proxies]]
                name = "tcp-13011"
                localPort = 13011
                remotePort = 23011
                [[proxies]]
                name = "tcp-13012"
                localPort = 13012
                remotePort = 23012
                [[proxies]]
                name = "tcp-13014"
                localPort = 13014
                remotePort = 23014
                """);
    }

    @Test
    void envsNumbersIndexesAndLiteralsRender() {
        String out = render("""
                auth.token = "{{ .Envs.FRP_TOKEN }}"
                user = "{{ .Envs.MISSING }}"
                note = "{{ `{{ not a template }}` }}"
                {{ range $i, $p := parseNumberRange "6000-6001" -}}
                p{{ $i }} = {{ $p }}
                {{ end -}}
                """, Map.of("FRP_TOKEN", "s3cret"));
        assertThat(problems).isEmpty();
        assertThat(out).isEqualTo("""
                auth.token = "s3cret"
                user = ""
                note = "{{ not a template }}"
                p0 = 6000
                p1 = 6001
                """);
        assertThat(warnings).singleElement().asString().contains("MISSING is not set");
    }

    @Test
    void whatJfrpDoesNotRenderIsAProblemAtItsLine() {
        render("a = 1\nb = \"{{ .Values.x }}\"\n", Map.of());
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.toString()).contains("template: {{ .Values.x }}: not supported");
        });
    }

    @Test
    void unevenPairsUnclosedRangesAndHugeRangesAreRefused() {
        render("{{ range $v := parseNumberRangePair \"1-3\" \"5-6\" }}x{{ end }}", Map.of());
        render("x = 1\n{{ range $v := parseNumberRange \"1-3\" }}x", Map.of());
        render("{{ range $v := parseNumberRange \"1-99999999\" }}x{{ end }}", Map.of());
        assertThat(problems).extracting(Object::toString).satisfiesExactly(
                p -> assertThat(p).contains("has 3 numbers").contains("has 2"),
                p -> assertThat(p).contains(":2").contains("never closed by {{ end }}"),
                p -> assertThat(p).contains("at most 65536 numbers"));
    }
}
