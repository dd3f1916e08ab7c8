package io.albauth.atlassian.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class HtmlTest {
    @Test
    void markupAndBothQuoteCharactersAreEscaped() {
        assertEquals("&lt;script&gt;&amp;&quot;&#39;&#96;", Html.esc("<script>&\"'`"));
    }

    @Test
    void nullIsEmpty() {
        assertEquals("", Html.esc(null));
    }

    @Test
    void plainTextIsUnchanged() {
        assertEquals("jane@example.com — ok", Html.esc("jane@example.com — ok"));
    }

    @Test
    void controlCharactersOtherThanWhitespaceAreReplaced() {
        assertEquals("a&#xfffd;b\nc", Html.esc("a\u0000b\nc"));
    }

    @Test
    void jsonInAScriptElementCannotCloseIt() {
        String out = Html.scriptJson("[\"</script><script>alert(1)</script>\"]");
        assertFalse(out.contains("<"), out);
        assertFalse(out.contains(">"), out);
    }
}
