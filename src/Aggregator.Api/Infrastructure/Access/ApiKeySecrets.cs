using System.Security.Cryptography;
using System.Text;

namespace Aggregator.Api.Infrastructure.Access;

/// <summary>
/// Key secrets: <c>agg_&lt;key id&gt;_&lt;secret&gt;</c>. The id finds the row; the secret is checked against a salted
/// SHA-256 in constant time. The secret itself is never stored.
/// </summary>
public static class ApiKeySecrets
{
    private const string Prefix = "agg_";

    public static (string Key, byte[] Salt, byte[] Hash) Create(Guid id)
    {
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var salt = RandomNumberGenerator.GetBytes(16);
        return ($"{Prefix}{id:N}_{secret}", salt, Hash(salt, secret));
    }

    public static bool TryParse(string key, out Guid id, out string secret)
    {
        id = Guid.Empty;
        secret = "";
        var parts = key.Split('_');
        if (parts is not ["agg", var idText, var secretText] || !Guid.TryParseExact(idText, "N", out id) || secretText.Length != 64)
        {
            return false;
        }
        secret = secretText;
        return true;
    }

    public static bool Verify(byte[] salt, byte[] hash, string secret) => CryptographicOperations.FixedTimeEquals(Hash(salt, secret), hash);

    /// <summary>Constant-time comparison of two secrets of any length (for the bootstrap key from configuration).</summary>
    public static bool SameSecret(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private static byte[] Hash(byte[] salt, string secret) => SHA256.HashData([.. salt, .. Encoding.UTF8.GetBytes(secret)]);
}
