using System.Security.Cryptography;
using System.Text;

namespace Medley.Server;

/// <summary>
/// Checks <c>Authorization: Bearer &lt;key&gt;</c> in constant time: both keys are hashed first, so the comparison
/// runs over equal-length bytes and its duration says nothing about how much of a guess was right (nor its length).
/// </summary>
internal sealed class BearerKeyCheck(string key)
{
    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public bool Accepts(string? authorization)
    {
        const string Scheme = "Bearer ";
        var presented = authorization is not null && authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            ? authorization[Scheme.Length..].Trim()
            : string.Empty;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        return CryptographicOperations.FixedTimeEquals(hash, _expected);
    }
}
