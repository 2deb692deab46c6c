// Reading the small files that nanoff --filedeployment puts on I: (board.conf, nmg.conf,
// the board profile, PEM certificates and keys), with a size cap so that a wrong file
// cannot take the heap, and loading certificates for the TLS adapter.
// Board-only (X509Certificate(byte[]) and X509Certificate2(byte[], key, password) are
// nanoFramework's constructors). Certificate bytes go through CertificateBytes.ForMbedTls:
// mbedTLS parses PEM only from a NUL-terminated buffer, and the byte[] constructors pass
// the file's bytes unchanged. A CA file may hold several roots.

using System;
using System.IO;
using System.Security.Cryptography.X509Certificates;
using NanoMailGateway.Board.Adapters;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Board.Device
{
    /// <summary>Small files on I:. Static.</summary>
    public static class BoardFiles
    {
        /// <summary>Largest file read whole, in bytes: a config or a PEM chain, never a message.</summary>
        public const int MaxBytes = 16 * 1024;

        /// <summary>The file's bytes, or null with <paramref name="error"/> set (missing, too large, unreadable).</summary>
        public static byte[]? Read(string path, out string error)
        {
            error = "";
            try
            {
                if (!File.Exists(path))
                {
                    error = path + ": missing";
                    return null;
                }
                byte[] data = File.ReadAllBytes(path);
                if (data.Length > MaxBytes)
                {
                    error = path + ": larger than " + MaxBytes.ToString() + " bytes";
                    return null;
                }
                return data;
            }
            catch (Exception e)
            {
                error = path + ": " + e.Message;
                return null;
            }
        }

        /// <summary>The CA certificates (PEM, one or more roots, or DER) from <paramref name="path"/>; null with <paramref name="error"/> set on failure.</summary>
        public static X509Certificate? LoadCertificate(string path, out string error)
        {
            byte[]? pem = Read(path, out error);
            if (pem == null) return null;
            try
            {
                return new X509Certificate(CertificateBytes.ForMbedTls(pem));
            }
            catch (Exception e)
            {
                error = path + ": not a certificate: " + e.Message;
                return null;
            }
        }

        /// <summary>A server certificate with its PEM private key (no password); null with <paramref name="error"/> set on failure.</summary>
        public static X509Certificate? LoadServerCertificate(string certPath, string keyPath, out string error)
        {
            byte[]? cert = Read(certPath, out error);
            if (cert == null) return null;
            byte[]? key = Read(keyPath, out error);
            if (key == null) return null;
            try
            {
                // The key goes in as text (that constructor adds the key's NUL itself): PEM is
                // ASCII, so no Encoding package is needed.
                return new X509Certificate2(CertificateBytes.ForMbedTls(cert), Ascii.GetString(key, 0, key.Length), "");
            }
            catch (Exception e)
            {
                error = certPath + " / " + keyPath + ": not a certificate and key: " + e.Message;
                return null;
            }
        }
    }
}
