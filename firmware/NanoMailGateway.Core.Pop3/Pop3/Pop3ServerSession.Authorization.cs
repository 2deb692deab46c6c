// AUTHORIZATION handlers of a POP3 session (RFC 1939 §4, §7): USER/PASS, AUTH PLAIN
// (RFC 5034 §4 with RFC 4616), STLS (RFC 2595 §4) and CAPA (RFC 2449 §5). A login
// verifies the credentials, takes the maildrop's exclusive lock (RFC 1939 §8) and opens
// the maildrop snapshot; failures answer "-ERR [AUTH]" after a delay that doubles with
// each failure of the session or of the remote address (RFC 3206 §5 for the code).
// Left out on purpose: APOP (see IMailboxAuthenticator), other SASL mechanisms.

using System.Threading;
using NanoMailGateway.Core.Auth;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Text;
using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.Core.Pop3
{
    internal sealed partial class Pop3ServerSession
    {
        private bool User(int argStart, int argLength)
        {
            // RFC 1939 §7: USER name. We answer +OK for every name so that USER cannot be
            // used to probe which mailboxes exist; PASS decides.
            if (argLength < 1 || argLength > MaxUserLength || Ascii.IndexOf(_lines.Input, argStart, argLength, Ascii.SP) >= 0)
            {
                return Refuse(Pop3Replies.SyntaxError);
            }
            for (int i = 0; i < argLength; i++)
            {
                // Names go into the log: no control characters (a CR would forge log lines).
                byte b = _lines.Input[argStart + i];
                if (b < Ascii.SP || b == 0x7F) return Refuse(Pop3Replies.SyntaxError);
            }
            _user = Ascii.GetString(_lines.Input, argStart, argLength);
            _state = Pop3State.WaitingForPassword;
            return Accept(Pop3Replies.SendPass);
        }

        private bool Pass(int argStart, int argLength)
        {
            // RFC 1939 §7: "a POP3 server may treat spaces in the argument as part of the
            // password": the whole rest of the line is the password.
            string user = _user ?? "";
            _user = null;
            return Login(user, Ascii.GetString(_lines.Input, argStart, argLength));
        }

        private bool Auth(int argStart, int argLength)
        {
            if (!_options.OfferSaslPlain) return Refuse(Pop3Replies.MechanismUnsupported);
            if (argLength == 0) return Accept(Pop3Replies.AuthMechanisms);  // RFC 1734 style listing
            int sp = Ascii.IndexOf(_lines.Input, argStart, argLength, Ascii.SP);
            int mechLength = sp < 0 ? argLength : sp - argStart;
            if (!Ascii.EqualsIgnoreCase(_lines.Input, argStart, mechLength, Pop3Replies.VerbPlain)) return Refuse(Pop3Replies.MechanismUnsupported);
            if (sp < 0)
            {
                // RFC 5034 §4: no initial response, so send an empty challenge.
                _state = Pop3State.WaitingForSaslResponse;
                return Accept(Pop3Replies.SaslContinue);
            }
            return SaslPlain(sp + 1, argStart + argLength - sp - 1);
        }

        private bool SaslResponse(int start, int length)
        {
            _state = Pop3State.WaitingForLogin;
            // RFC 5034 §4: "*" cancels the exchange; the server answers -ERR.
            if (length == 1 && _lines.Input[start] == (byte)'*') return Accept(Pop3Replies.AuthCancelled);
            return SaslPlain(start, length);
        }

        private bool SaslPlain(int start, int length)
        {
            // RFC 5034 §4: "=" is an empty initial response (PLAIN then has no user: fails).
            if (!SaslServer.TryDecodePlain(_lines.Input, start, length, out string user, out string password)) return Refuse(Pop3Replies.SyntaxError);
            return Login(user, password);
        }

        private bool Login(string user, string password)
        {
            string address = _lines.Connection.RemoteAddress;
            if (!IsPrintableName(user) || !_server.Authenticator.Verify(user, password))
            {
                // Growing delay per session and per address in any protocol (AuthThrottle),
                // so that guessing costs time even across reconnects.
                _authFailures++;
                int delay = _server.Throttle.Fail(address, _authFailures);
                _server.Log.Write(Component, _id, "login failed for " + user + " from " + address + ", failure " + _authFailures.ToString() + ", delay " + delay.ToString() + " ms");
                _lines.Flush();
                if (delay > 0) Thread.Sleep(delay);
                _state = Pop3State.WaitingForLogin;
                return Refuse(Pop3Replies.AuthFailed);
            }
            _server.Throttle.Succeed(address);
            _state = Pop3State.WaitingForLogin;
            // RFC 1939 §8: exclusive access to the maildrop for the whole session.
            if (!_server.TryLock(user))
            {
                _server.Log.Write(Component, _id, "maildrop " + user + " in use");
                return Accept(Pop3Replies.InUse);
            }
            _lockedMailbox = user;
            IMaildrop? maildrop;
            try
            {
                maildrop = _server.Store.Open(user);
            }
            catch (StorageException e)
            {
                _server.Log.Write(Component, _id, "cannot open maildrop " + user + ": " + e.Message);
                maildrop = null;
                _server.Unlock(user);
                _lockedMailbox = null;
                return Accept(Pop3Replies.MaildropUnavailable);
            }
            if (maildrop == null)
            {
                _server.Unlock(user);
                _lockedMailbox = null;
                return Accept(Pop3Replies.NoMaildrop);
            }
            _maildrop = maildrop;
            _deleted = new bool[maildrop.Count];
            _state = Pop3State.WaitingForMailCommand;
            _server.Log.Write(Component, _id, "login " + user + " from " + address + ", " + maildrop.Count.ToString() + " messages");
            PutMaildropSummary();
            return false;
        }

        private bool Stls(int argLength)
        {
            if (argLength != 0) return Refuse(Pop3Replies.SyntaxError);
            ITlsProvider? tls = _server.Tls;
            if (tls == null || !tls.CanServe || _lines.Connection.IsSecure) return Refuse(Pop3Replies.StlsUnavailable);
            _lines.Append(Pop3Replies.StlsGo);
            _lines.Flush();
            // CVE-2011-0411: whatever the client sent after STLS in plaintext must not be
            // read as if it came through TLS.
            _user = null;
            try
            {
                _lines.Reset(tls.AuthenticateAsServer(_lines.Connection, _options.TlsHandshakeTimeoutMs));
            }
            catch (ConnectionException e)
            {
                _server.Log.Write(Component, _id, "TLS handshake failed: " + e.Message);
                _state = Pop3State.Closed;
                return false;
            }
            _server.Log.Write(Component, _id, "TLS established");
            return false;
        }

        private bool Capa(int argLength)
        {
            if (argLength != 0) return Refuse(Pop3Replies.SyntaxError);
            _lines.Append(Pop3Replies.CapaHead);
            if (_state != Pop3State.WaitingForMailCommand)
            {
                if (_options.OfferSaslPlain) _lines.Append(Pop3Replies.CapaSaslPlain);
                ITlsProvider? tls = _server.Tls;
                if (tls != null && tls.CanServe && !_lines.Connection.IsSecure && _state == Pop3State.WaitingForLogin) _lines.Append(Pop3Replies.CapaStls);
            }
            _lines.Append(Pop3Replies.EndOfMultiline);
            return false;
        }
    }
}
