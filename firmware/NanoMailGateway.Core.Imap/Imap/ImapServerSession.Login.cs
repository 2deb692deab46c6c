// Handlers of the Not Authenticated and Authenticated states (RFC 9051 §6.1-§6.3):
// CAPABILITY, NOOP, LOGOUT, STARTTLS (RFC 9051 §6.2.1, plaintext after it dropped:
// CVE-2011-0411), LOGIN and AUTHENTICATE PLAIN (RFC 4616, SASL-IR RFC 4959), ENABLE,
// NAMESPACE, ID, LIST/LSUB (INBOX only), STATUS, SELECT/EXAMINE, SUBSCRIBE.
// Logging in needs TLS or a client in trusted_networks (RFC 9051 §6.2.3: LOGINDISABLED
// otherwise, and NO [PRIVACYREQUIRED]); failures get NO [AUTHENTICATIONFAILED] after a
// delay that doubles per failure of the session (1 s to 16 s) and count as errors.

using System.Threading;
using NanoMailGateway.Core.Auth;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Imap
{
    internal sealed partial class ImapServerSession
    {
        private const int MaxUserLength = 255;   // RFC 4616 §2: authcid up to 255 octets

        private bool CanStartTls
        {
            get
            {
                ITlsProvider? tls = _server.Tls;
                return tls != null && tls.CanServe && !_lines.Connection.IsSecure && _state == ImapState.WaitingForLogin;
            }
        }

        /// <summary>RFC 9051 §6.2.3: no password in the clear from outside the trusted networks.</summary>
        private bool CanLogIn => _lines.Connection.IsSecure || _server.Trusted.Contains(_lines.Connection.RemoteAddress);

        private void PutCapabilities()
        {
            Put(ImapReplies.CapabilityBase);
            if (CanStartTls) Put(ImapReplies.CapStartTls);
            if (_state == ImapState.WaitingForLogin)
            {
                Put(CanLogIn ? ImapReplies.CapAuthPlain : ImapReplies.CapLoginDisabled);
            }
        }

        private int Capability()
        {
            Put(ImapReplies.Untagged);
            PutCapabilities();
            Put(ImapReplies.CrLf);
            return ResultOk;
        }

        private int Noop()
        {
            if (_view != null) Refresh();
            return ResultOk;
        }

        private int Logout()
        {
            Put(ImapReplies.Bye);
            PutTagged(ResultOk);
            _state = ImapState.Closed;
            return ResultNone;
        }

        private int StartTls()
        {
            if (!CanStartTls) return No(ImapReplies.TlsUnavailable);
            _text = ImapReplies.TlsGo;
            PutTagged(ResultOk);
            Flush();
            try
            {
                // CVE-2011-0411: nothing sent in plaintext after STARTTLS counts.
                _lines.Reset(_server.Tls!.AuthenticateAsServer(_lines.Connection, _options.TlsHandshakeTimeoutMs));
            }
            catch (ConnectionException e)
            {
                _server.Log.Write(Component, _id, "TLS handshake failed: " + e.Message);
                _state = ImapState.Closed;
                return ResultNone;
            }
            _server.Log.Write(Component, _id, "TLS established");
            return ResultNone;
        }

        private int Login()
        {
            int userLength = AString(out int userStart);
            if (userLength < 0 || !Sp()) return Bad(ImapReplies.SyntaxError);
            // The user is made a string before the password's quoted form is unescaped in place.
            if (userLength > MaxUserLength) return Bad(ImapReplies.SyntaxError);
            string user = Ascii.GetString(_in, userStart, userLength);
            int passLength = AString(out int passStart);
            if (passLength < 0 || !AtEnd) return Bad(ImapReplies.SyntaxError);
            if (!CanLogIn) return No(ImapReplies.PrivacyRequired);
            return LogIn(user, Ascii.GetString(_in, passStart, passLength));
        }

        private int Authenticate()
        {
            int mechLength = Atom(out int mechStart, false);
            if (mechLength == 0) return Bad(ImapReplies.SyntaxError);
            if (!Ascii.EqualsIgnoreCase(_in, mechStart, mechLength, "PLAIN")) return No(ImapReplies.MechanismUnsupported);
            if (!CanLogIn) return No(ImapReplies.PrivacyRequired);
            int start;
            int length;
            if (Sp())
            {
                // RFC 4959: the initial response on the command line ("=" is an empty one).
                length = Atom(out start, false);
                if (length == 0 || !AtEnd) return Bad(ImapReplies.SyntaxError);
            }
            else
            {
                if (!AtEnd) return Bad(ImapReplies.SyntaxError);
                Put(ImapReplies.ContinueSasl);
                int r = NextCommand(_options.AutologoutMs, long.MaxValue);
                if (r != CommandComplete)
                {
                    _state = ImapState.Closed;
                    return ResultNone;
                }
                start = _cmd;
                length = _end - _cmd;
                // RFC 9051 §6.2.2: "*" cancels; the server answers BAD.
                if (length == 1 && _in[start] == (byte)'*') return Bad(ImapReplies.Cancelled);
            }
            if (!SaslServer.TryDecodePlain(_in, start, length, out string user, out string password)) return Bad(ImapReplies.SyntaxError);
            return LogIn(user, password);
        }

        private int LogIn(string user, string password)
        {
            string address = _lines.Connection.RemoteAddress;
            if (user.Length == 0 || !IsPrintable(user) || !_server.Authenticator.Verify(user, password))
            {
                // The gateway's throttle: the delay grows per session and per address in any
                // protocol (AuthThrottle), so a guesser gains nothing by switching to IMAP.
                _authFailures++;
                int delay = _server.Throttle.Fail(address, _authFailures);
                _server.Log.Write(Component, _id, "login failed for " + (IsPrintable(user) ? user : "?") + " from " + address + ", failure " + _authFailures.ToString() + ", delay " + delay.ToString() + " ms");
                Flush();
                if (delay > 0) Thread.Sleep(delay);
                _text = ImapReplies.LoginFailed;
                // Counts toward the error limit like a BAD.
                PutTagged(ResultNo);
                if (++_errors >= _options.MaxErrors)
                {
                    Put(ImapReplies.ByeErrors);
                    _state = ImapState.Closed;
                }
                return ResultNone;
            }
            _user = user;
            _state = ImapState.WaitingForSelect;
            _server.Log.Write(Component, _id, "login " + user + " from " + address + (_lines.Connection.IsSecure ? " over TLS" : ""));
            // RFC 9051 §6.2.3: the capabilities change after login; say so in the OK.
            PutBytes(_tag, 0, _tagLength);
            Put(" OK [");
            PutCapabilities();
            Put("] Logged in\r\n");
            return ResultNone;
        }

        private static bool IsPrintable(string s)
        {
            for (int i = 0; i < s.Length; i++)
            {
                if (s[i] < ' ' || s[i] == (char)0x7F) return false;
            }
            return true;
        }

        private int Enable()
        {
            // RFC 9051 §6.3.1: ENABLE capability...; unknown ones are ignored.
            bool any = false;
            while (true)
            {
                int n = Atom(out int start, false);
                if (n == 0) return Bad(ImapReplies.SyntaxError);
                if (Ascii.EqualsIgnoreCase(_in, start, n, "IMAP4REV2"))
                {
                    if (!_rev2) { Put("* ENABLED IMAP4rev2\r\n"); any = true; }
                    _rev2 = true;
                }
                if (AtEnd) break;
                if (!Sp()) return Bad(ImapReplies.SyntaxError);
            }
            if (!any) Put("* ENABLED\r\n");
            return ResultOk;
        }

        private int Namespace()
        {
            Put(ImapReplies.Namespace);
            return ResultOk;
        }

        private int Id()
        {
            // RFC 2971: ID ("name" "value" ...) or ID NIL; the client's values are not kept.
            if (AtEnd) return Bad(ImapReplies.SyntaxError);
            Put(ImapReplies.IdNil);
            return ResultOk;
        }

        private int List(bool lsub)
        {
            // RFC 9051 §6.3.9: LIST reference pattern; extended forms (selection and return
            // options, RFC 5258) are accepted and their options ignored.
            if (!lsub && _p < _end && _in[_p] == (byte)'(')
            {
                while (_p < _end && _in[_p] != (byte)')') _p++;
                _p++;
                if (!Sp()) return Bad(ImapReplies.SyntaxError);
            }
            int refLength = AString(out int refStart);
            if (refLength < 0) return Bad(ImapReplies.SyntaxError);
            if (!Sp()) return Bad(ImapReplies.SyntaxError);
            int patStart = _p;
            int patLength;
            if (_p < _end && (_in[_p] == (byte)'"' || _in[_p] == (byte)'{')) patLength = AString(out patStart);
            else
            {
                // list-mailbox: atom characters plus the wildcards % and *.
                while (_p < _end && (IsAtomChar(_in[_p], true) || _in[_p] == (byte)'%' || _in[_p] == (byte)'*')) _p++;
                patLength = _p - patStart;
            }
            if (patLength < 0) return Bad(ImapReplies.SyntaxError);
            string word = lsub ? "* LSUB" : "* LIST";
            if (patLength == 0)
            {
                // RFC 9051 §6.3.9: an empty pattern asks for the hierarchy delimiter.
                Put(word);
                Put(ImapReplies.ListRoot);
            }
            else if (Matches(patStart, patLength, 0))
            {
                Put(word);
                Put(ImapReplies.ListInbox);
            }
            return ResultOk;
        }

        /// <summary>True when the pattern from <paramref name="p"/> matches "INBOX" from <paramref name="i"/> (* and % match any run; no hierarchy here).</summary>
        private bool Matches(int p, int length, int i)
        {
            int end = p + length;
            const string name = ImapReplies.Inbox;
            while (p < end)
            {
                byte c = _in[p];
                if (c == (byte)'*' || c == (byte)'%')
                {
                    for (int k = i; k <= name.Length; k++) if (Matches(p + 1, end - p - 1, k)) return true;
                    return false;
                }
                if (i >= name.Length || Ascii.ToUpper(c) != (byte)name[i]) return false;
                p++;
                i++;
            }
            return i == name.Length;
        }

        private int Subscribe()
        {
            int n = AString(out int start);
            if (n < 0 || !AtEnd) return Bad(ImapReplies.SyntaxError);
            return IsInbox(start, n) ? ResultOk : No(ImapReplies.NoMailbox);
        }

        private int Status()
        {
            // RFC 9051 §6.3.11: STATUS mailbox (items).
            int n = AString(out int start);
            if (n < 0 || !Sp() || _p >= _end || _in[_p] != (byte)'(') return Bad(ImapReplies.SyntaxError);
            if (!IsInbox(start, n)) return No(ImapReplies.NoMailbox);
            _p++;
            int items = _p;
            // Two passes: the items are checked before any of the response is written.
            if (!StatusItems(null)) return Bad(ImapReplies.SyntaxError);
            _p = items;
            Put("* STATUS INBOX (");
            StatusItems(_server.Store.OpenView(_user!));
            Put(")\r\n");
            return ResultOk;
        }

        /// <summary>Parses the STATUS items up to the end; writes them when <paramref name="view"/> is given. False on a syntax error.</summary>
        private bool StatusItems(Queue.MailboxView? view)
        {
            bool first = true;
            while (true)
            {
                int itemLength = Atom(out int item, false);
                if (itemLength == 0) return false;
                if (view != null && !first) Put(" ");
                first = false;
                if (Ascii.EqualsIgnoreCase(_in, item, itemLength, "MESSAGES")) { if (view != null) { Put("MESSAGES "); PutDecimal(view.Count); } }
                else if (Ascii.EqualsIgnoreCase(_in, item, itemLength, "UIDNEXT")) { if (view != null) { Put("UIDNEXT "); PutDecimal(_server.Store.NextUid); } }
                else if (Ascii.EqualsIgnoreCase(_in, item, itemLength, "UIDVALIDITY")) { if (view != null) { Put("UIDVALIDITY "); PutDecimal(ImapReplies.UidValidity); } }
                else if (Ascii.EqualsIgnoreCase(_in, item, itemLength, "UNSEEN")) { if (view != null) { Put("UNSEEN "); PutDecimal(CountFlag(view, Queue.RecipientStatus.FlagSeen, false)); } }
                else if (Ascii.EqualsIgnoreCase(_in, item, itemLength, "DELETED")) { if (view != null) { Put("DELETED "); PutDecimal(CountFlag(view, Queue.RecipientStatus.FlagDeleted, true)); } }
                else if (Ascii.EqualsIgnoreCase(_in, item, itemLength, "RECENT")) { if (view != null) Put("RECENT 0"); }
                else if (Ascii.EqualsIgnoreCase(_in, item, itemLength, "SIZE"))
                {
                    if (view != null)
                    {
                        long size = 0;
                        for (int i = 0; i < view.Count; i++) size += view.SizeOf(i);
                        Put("SIZE ");
                        PutDecimal(size);
                    }
                }
                else return false;
                if (_p < _end && _in[_p] == (byte)')') { _p++; return AtEnd; }
                if (!Sp()) return false;
            }
        }

        private static int CountFlag(Queue.MailboxView view, int flag, bool set)
        {
            int c = 0;
            for (int i = 0; i < view.Count; i++) if (((view.Flags(i) & flag) != 0) == set) c++;
            return c;
        }
    }
}
