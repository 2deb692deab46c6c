// AUTH (RFC 4954) for SmtpServerSession: PLAIN and LOGIN through Core/Auth's SaslServer,
// offered only on TLS, from trusted networks, or when smtp_allow_plaintext_auth is set
// (RFC 4954 §4 warns against cleartext passwords); failures are delayed by the gateway's
// AuthThrottle (growing per session and per client address, across protocols) and end
// the session at its limit with 421 4.7.0.
// Left out on purpose: mechanisms beyond PLAIN/LOGIN, AUTH= trust (RFC 4954 §5 value
// is parsed, not believed).

using NanoMailGateway.Core.Auth;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Smtp
{
    public sealed partial class SmtpServerSession
    {
        private bool AuthAllowed => _lines.Connection.IsSecure || _trusted || _options.AllowPlaintextAuth;

        private bool AuthOffered => AuthAllowed && _server.Accounts.Count > 0;

        private string Auth(byte[] b, int arg, int end)
        {
            if (_server.Accounts.Count == 0) return SmtpReplies.AuthNotEnabled;
            if (_authUser != null) return SmtpReplies.AlreadyAuthenticated; // RFC 4954 §4
            if (!AuthAllowed) return SmtpReplies.EncryptionRequired;         // RFC 4954 §6: 538
            arg = SmtpCommand.SkipSpaces(b, arg, end);
            int mechEnd = arg;
            while (mechEnd < end && b[mechEnd] != Ascii.SP) mechEnd++;
            if (mechEnd == arg) return SmtpReplies.UnknownMechanism;
            int initial = SmtpCommand.SkipSpaces(b, mechEnd, end);
            if (_sasl == null) _sasl = new SaslServer();
            SaslStep step = _sasl.Start(b, arg, mechEnd - arg, initial, initial < end ? end - initial : -1);
            return AuthStep(step);
        }

        private string AuthResponse(byte[] b, int offset, int count)
        {
            int end = SmtpCommand.TrimEnd(b, offset, offset + count);
            return AuthStep(_sasl!.Respond(b, offset, end - offset));
        }

        private string AuthStep(SaslStep step)
        {
            switch (step)
            {
                case SaslStep.NeedPlainResponse:
                    _state = SmtpSessionState.WaitingForAuthResponse;
                    return SmtpReplies.AuthEmptyChallenge;
                case SaslStep.NeedUsername:
                    _state = SmtpSessionState.WaitingForAuthResponse;
                    return SmtpReplies.AuthUsernameChallenge;
                case SaslStep.NeedPassword:
                    _state = SmtpSessionState.WaitingForAuthResponse;
                    return SmtpReplies.AuthPasswordChallenge;
                case SaslStep.Verify:
                    return AuthVerify();
                case SaslStep.Cancelled:
                    return AuthAbandoned(SmtpReplies.AuthCancelled);
                case SaslStep.UnknownMechanism:
                    return AuthAbandoned(SmtpReplies.UnknownMechanism);
                default:
                    return AuthAbandoned(SmtpReplies.AuthBadEncoding);
            }
        }

        private string AuthVerify()
        {
            SaslServer sasl = _sasl!;
            string user = sasl.UserName;
            string? account = _server.Accounts.Authenticate(user, sasl.Password);
            sasl.Clear();
            _state = SmtpSessionState.WaitingForMail;
            if (account != null)
            {
                _authUser = account; // the configured spelling goes into the envelope and Received:
                _server.Throttle.Succeed(_lines.Connection.RemoteAddress);
                Log("authenticated as " + account);
                return SmtpReplies.AuthOk;
            }
            // Slows guessing down: the delay grows per failure of this session and of this
            // address in any protocol (AuthThrottle); the session's thread sleeps, others run.
            _authFailures++;
            int delay = _server.Throttle.Fail(_lines.Connection.RemoteAddress, _authFailures);
            if (delay > 0) System.Threading.Thread.Sleep(delay);
            Log("authentication failed for " + ForLog(user) + " from [" + _lines.Connection.RemoteAddress + "], failure " + _authFailures.ToString() + ", delayed " + delay.ToString() + " ms");
            if (_authFailures >= _options.AuthFailureLimit)
            {
                _after = After.Close;
                return SmtpReplies.TooManyErrors;
            }
            return SmtpReplies.AuthFailed;
        }

        private string AuthAbandoned(string reply)
        {
            _sasl!.Clear();
            _state = SmtpSessionState.WaitingForMail;
            return reply;
        }

        // A SASL user name is the client's text: control characters would forge log lines.
        private static string ForLog(string s)
        {
            char[] c = s.ToCharArray();
            bool changed = false;
            for (int i = 0; i < c.Length; i++)
            {
                if (c[i] < ' ' || c[i] > '~')
                {
                    c[i] = '?';
                    changed = true;
                }
            }
            if (c.Length > 64) return new string(c, 0, 64) + "...";
            return changed ? new string(c) : s;
        }
    }
}
