/// Password hashing for the command line (setting passwords, seeding demo accounts).
public enum ServerPasswords {
    public static func hash(_ password: String, cost: Int) async throws -> String { try await Passwords.hash(password, cost: cost) }
}
