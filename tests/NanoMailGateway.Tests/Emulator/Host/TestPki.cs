// A throwaway PKI for TLS tests, made with CertificateRequest (no openssl): a CA, a server
// certificate it signs for "localhost" and 127.0.0.1, and a second, unrelated CA.
// Files are PEM in a temporary directory, as an administrator would configure them.

using System;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NanoMailGateway.Tests.Emulator.Host
{
    public sealed class TestPki : IDisposable
    {
        public TestPki()
        {
            Directory = Path.Combine(Path.GetTempPath(), "nmg-pki-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(Directory);
            DateTimeOffset now = DateTimeOffset.UtcNow;

            using ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using X509Certificate2 ca = MakeCa("CN=nmg test CA", caKey, now);
            CaFile = Write("ca.pem", ca.ExportCertificatePem());

            using ECDsa otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using X509Certificate2 other = MakeCa("CN=someone else's CA", otherKey, now);
            OtherCaFile = Write("other-ca.pem", other.ExportCertificatePem());

            using ECDsa serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var req = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
            req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("localhost");
            san.AddIpAddress(IPAddress.Loopback);
            req.CertificateExtensions.Add(san.Build());
            req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
            using X509Certificate2 server = req.Create(ca, now.AddMinutes(-5), now.AddDays(1), new byte[] { 1, 2, 3, 4 });
            ServerCertFile = Write("server.pem", server.ExportCertificatePem());
            ServerKeyFile = Write("server.key", serverKey.ExportPkcs8PrivateKeyPem());
            CombinedFile = Write("combined.pem", server.ExportCertificatePem() + "\n" + serverKey.ExportPkcs8PrivateKeyPem());
        }

        public string Directory { get; }

        public string CaFile { get; }

        public string OtherCaFile { get; }

        public string ServerCertFile { get; }

        public string ServerKeyFile { get; }

        /// <summary>Certificate and key in one file.</summary>
        public string CombinedFile { get; }

        public void Dispose()
        {
            try
            {
                System.IO.Directory.Delete(Directory, true);
            }
            catch (IOException)
            {
            }
        }

        private static X509Certificate2 MakeCa(string subject, ECDsa key, DateTimeOffset now)
        {
            var req = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
            req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
            return req.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));
        }

        private string Write(string name, string text)
        {
            string path = Path.Combine(Directory, name);
            File.WriteAllText(path, text);
            return path;
        }
    }
}
