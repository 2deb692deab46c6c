// What the board hands to mbedTLS for a certificate file (Board/BoardFiles.cs through
// Adapters/CertificateBytes.cs, the same source the board runs): checked against a real
// mbedTLS (Debian's libmbedtls, through a ten-line C program compiled here), which parses
// the buffer exactly as nanoFramework's X509Certificate(byte[]) and SslStream's CA do
// (mbedtls_x509_crt_parse over the array, its length included). A CA file of three roots
// as read from disk is taken for DER and fails; terminated, all three parse.

using System;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using NanoMailGateway.Board.Adapters;
using NanoMailGateway.Tests.Support;
using Xunit;

namespace NanoMailGateway.Tests.Board.Adapters
{
    public sealed class CertificateBytesTests
    {
        // The C program and the buffers it parses live in one temp directory per run.
        private readonly string _dir = Directory.CreateTempSubdirectory("nmg-pem-").FullName;

        [Fact]
        public void PemGetsOneTerminatingNulAndNothingElseChanges()
        {
            byte[] pem = Encoding.ASCII.GetBytes(Roots(2));
            byte[] ready = CertificateBytes.ForMbedTls(pem);
            Assert.Equal(pem.Length + 1, ready.Length);
            Assert.Equal(0, ready[^1]);
            Assert.Equal(pem, ready[..^1]);
            Assert.Same(ready, CertificateBytes.ForMbedTls(ready));          // already terminated
            byte[] der = MakeRoot("der").RawData;
            Assert.Same(der, CertificateBytes.ForMbedTls(der));               // DER is taken as it is
            Assert.Empty(CertificateBytes.ForMbedTls(new byte[0]));
        }

        [SkippableFact]
        public void RealMbedTlsParsesEveryRootOfATerminatedCaFileAndNoneOfTheRawOne()
        {
            try
            {
                string parser = CompileParser();
                byte[] file = Encoding.ASCII.GetBytes(Roots(3));              // what File.ReadAllBytes gives the board

                (int ret, int count) raw = Parse(parser, file);
                Assert.True(raw.ret < 0, "mbedTLS parsed an unterminated PEM buffer (ret " + raw.ret + ")");

                (int ret, int count) ready = Parse(parser, CertificateBytes.ForMbedTls(file));
                Assert.Equal(0, ready.ret);
                Assert.Equal(3, ready.count);

                (int ret, int count) der = Parse(parser, CertificateBytes.ForMbedTls(MakeRoot("der").RawData));
                Assert.Equal(0, der.ret);
                Assert.Equal(1, der.count);
            }
            finally
            {
                Directory.Delete(_dir, true);
            }
        }

        private (int ret, int count) Parse(string parser, byte[] buffer)
        {
            string path = Path.Combine(_dir, "ca-" + Guid.NewGuid().ToString("N"));
            File.WriteAllBytes(path, buffer);
            ProcessResult r = ProcessRunner.Run(parser, new[] { path }, null, TimeSpan.FromSeconds(20));
            Assert.True(r.ExitCode == 0, "parser failed: " + r.StdErr);
            string[] parts = r.StdOut.Trim().Split(' ');
            return (int.Parse(parts[0]), int.Parse(parts[1]));
        }

        /// <summary>Compiles the C program over Debian's libmbedtls (peers: gcc, libmbedtls-dev).</summary>
        private string CompileParser()
        {
            string gcc = Peers.Require("gcc");
            if (!File.Exists("/usr/include/mbedtls/x509_crt.h"))
            {
                string why = "libmbedtls-dev is not installed (see .ci/run)";
                if (Peers.Required) throw new InvalidOperationException(why + " and NMG_REQUIRE_PEERS=1");
                Skip.If(true, why);
            }
            string source = Path.Combine(_dir, "parse.c");
            File.WriteAllText(source, string.Join("\n",
                "#include <stdio.h>",
                "#include <stdlib.h>",
                "#include <mbedtls/x509_crt.h>",
                "int main(int argc, char **argv) {",
                "  FILE *f = fopen(argv[1], \"rb\"); if (!f) return 2;",
                "  fseek(f, 0, SEEK_END); long n = ftell(f); rewind(f);",
                "  unsigned char *buf = malloc(n > 0 ? n : 1); if (fread(buf, 1, n, f) != (size_t)n) return 3; fclose(f);",
                "  mbedtls_x509_crt crt; mbedtls_x509_crt_init(&crt);",
                "  int ret = mbedtls_x509_crt_parse(&crt, buf, (size_t)n);",
                "  int count = 0; for (mbedtls_x509_crt *c = &crt; c != NULL && c->raw.len > 0; c = c->next) count++;",
                "  printf(\"%d %d\\n\", ret, count); mbedtls_x509_crt_free(&crt); free(buf); return 0;",
                "}", ""));
            string exe = Path.Combine(_dir, "parse");
            ProcessResult r = ProcessRunner.Run(gcc, new[] { "-o", exe, source, "-lmbedx509", "-lmbedcrypto" }, null, TimeSpan.FromSeconds(60));
            Assert.True(r.ExitCode == 0, "gcc failed: " + r.StdErr);
            return exe;
        }

        private static string Roots(int n)
        {
            var text = new StringBuilder();
            for (int i = 0; i < n; i++) text.Append(MakeRoot("root " + i).ExportCertificatePem()).Append('\n');
            return text.ToString();
        }

        private static X509Certificate2 MakeRoot(string name)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var req = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
            req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            return req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        }
    }
}
