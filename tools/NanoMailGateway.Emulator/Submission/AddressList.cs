// The addresses of an RFC 5322 §3.4 address-list, as `nmg send -t` takes recipients from
// To:, Cc: and Bcc: (the field body, unfolded): display names, comments (§3.2.2),
// quoted strings (§3.2.4), angle addresses with an obsolete route (§4.4) and groups
// ("undisclosed-recipients:;", §3.4) are understood; what is left is the addr-spec.
// Tolerant, as a submission agent must be: a mailbox that yields nothing is skipped,
// and an address without a domain is passed on for the server to judge.

using System.Collections.Generic;
using System.Text;

namespace NanoMailGateway.Emulator.Submission
{
    /// <summary>Extracts addr-specs from address-list field bodies.</summary>
    public static class AddressList
    {
        /// <summary>The addr-specs of <paramref name="body"/>, in order.</summary>
        public static List<string> Parse(string body)
        {
            var found = new List<string>();
            var bare = new StringBuilder();      // the mailbox outside comments and angle brackets
            var angle = new StringBuilder();     // inside <...>
            bool inAngle = false, sawAngle = false;
            int i = 0;
            while (i < body.Length)
            {
                char c = body[i];
                if (c == '"')
                {
                    int end = QuotedEnd(body, i);
                    (inAngle ? angle : bare).Append(body, i, end - i);
                    i = end;
                    continue;
                }
                if (c == '(' && !inAngle)
                {
                    i = CommentEnd(body, i);
                    bare.Append(' ');
                    continue;
                }
                if (inAngle)
                {
                    if (c == '>') inAngle = false;
                    else angle.Append(c);
                }
                else if (c == '<')
                {
                    inAngle = true;
                    sawAngle = true;
                    angle.Clear();
                }
                else if (c == ',' || c == ';')
                {
                    Add(found, sawAngle ? angle : bare, sawAngle);
                    bare.Clear();
                    angle.Clear();
                    sawAngle = false;
                }
                else if (c == ':')
                {
                    bare.Clear();   // a group's display name (§3.4): its members follow
                }
                else
                {
                    bare.Append(c);
                }
                i++;
            }
            Add(found, sawAngle ? angle : bare, sawAngle);
            return found;
        }

        private static void Add(List<string> found, StringBuilder text, bool angle)
        {
            string a = text.ToString().Trim();
            // §4.4 obs-route "@a,@b:" before the addr-spec in angle brackets.
            if (angle && a.StartsWith('@'))
            {
                int colon = a.IndexOf(':');
                a = colon >= 0 ? a.Substring(colon + 1).Trim() : "";
            }
            if (!angle) a = WithoutUnquotedSpace(a);   // §3.4.1: CFWS may surround the dots
            if (a.Length > 0) found.Add(a);
        }

        private static string WithoutUnquotedSpace(string a)
        {
            var sb = new StringBuilder(a.Length);
            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] == '"')
                {
                    int end = QuotedEnd(a, i);
                    sb.Append(a, i, end - i);
                    i = end - 1;
                }
                else if (a[i] != ' ' && a[i] != '\t')
                {
                    sb.Append(a[i]);
                }
            }
            return sb.ToString();
        }

        /// <summary>Index after the quoted string starting at <paramref name="start"/> (quoted-pairs kept).</summary>
        private static int QuotedEnd(string s, int start)
        {
            int i = start + 1;
            while (i < s.Length && s[i] != '"') i += s[i] == '\\' ? 2 : 1;
            return i < s.Length ? i + 1 : s.Length;
        }

        /// <summary>Index after the (possibly nested) comment starting at <paramref name="start"/>.</summary>
        private static int CommentEnd(string s, int start)
        {
            int depth = 0, i = start;
            while (i < s.Length)
            {
                char c = s[i];
                if (c == '\\') { i += 2; continue; }
                if (c == '(') depth++;
                else if (c == ')' && --depth == 0) return i + 1;
                i++;
            }
            return s.Length;
        }
    }
}
