// IMailboxAuthenticator with one account, for the POP3 scenario.

using NanoMailGateway.Core.Pop3;
using NanoMailGateway.Core.Auth;

namespace NanoMailGateway.SelfTest
{
    /// <summary>Accepts exactly one user name (ASCII case ignored) and password.</summary>
    public sealed class OneUserAuthenticator : IMailboxAuthenticator
    {
        private readonly string _user;
        private readonly string _password;

        /// <summary>Makes the authenticator.</summary>
        public OneUserAuthenticator(string user, string password)
        {
            _user = user;
            _password = password;
        }

        /// <inheritdoc/>
        public bool Verify(string user, string password)
        {
            return NanoMailGateway.Core.Text.Ascii.EqualsIgnoreCase(user, _user) && password == _password;
        }
    }
}
