// Credentials for mailbox logins: POP3 USER/PASS (RFC 1939 §7) and AUTH PLAIN (RFC
// 5034/4616). It lives with the accounts in Auth, below the mailbox protocols, so that
// every protocol that reads a mailbox checks logins the same way. One method on purpose:
// AccountDirectory implements it, and tests pass a table. Deliberately absent: APOP (RFC 1939 §7), which
// needs the plaintext secret on the server (we have it) and MD5, which nanoFramework's
// mscorlib does not have; a hand-written MD5 for a deprecated mechanism (RFC 6331
// retired DIGEST-MD5 for the same weakness) is not worth its flash. Use STLS instead.

namespace NanoMailGateway.Core.Auth
{
    /// <summary>Checks a user name and password. Thread-safe; must not throw.</summary>
    public interface IMailboxAuthenticator
    {
        /// <summary>True when <paramref name="user"/> exists, may use POP3 and <paramref name="password"/> is its password.
        /// The accepted user name is also the mailbox name given to <see cref="IMaildropStore.Open"/>.</summary>
        bool Verify(string user, string password);
    }
}
