import Foundation

/// What a Linux executable needs at run time: nothing when it is statically linked, else its dynamic loader and the
/// shared libraries the loader resolves for it (read from `ldd`, which runs the loader in trace mode, so the paths
/// are exactly the ones the loader would open).
public enum BinaryDependencies {
    /// Whether the ELF file has a `PT_INTERP` program header, i.e. needs a dynamic loader.
    /// Throws for files that are not 64-bit little-endian ELF.
    public static func isDynamic(elf bytes: [UInt8]) throws(ImageError) -> Bool {
        guard bytes.count >= 64, bytes[0] == 0x7F, bytes[1] == 0x45, bytes[2] == 0x4C, bytes[3] == 0x46 else {
            throw .invalid("Not an ELF executable.")
        }
        guard bytes[4] == 2, bytes[5] == 1 else {
            throw .invalid("Only 64-bit little-endian ELF executables are supported.")
        }
        func read(_ offset: Int, _ width: Int) -> Int? {
            guard offset >= 0, offset + width <= bytes.count else { return nil }
            var value = 0
            for i in (0..<width).reversed() { value = value << 8 | Int(bytes[offset + i]) }
            return value
        }
        guard let phoff = read(0x20, 8), let phentsize = read(0x36, 2), let phnum = read(0x38, 2), phentsize >= 4 else {
            throw .invalid("Malformed ELF header.")
        }
        for i in 0..<phnum {
            guard let type = read(phoff + i * phentsize, 4) else { throw .invalid("Malformed ELF program headers.") }
            if type == 3 { return true }  // PT_INTERP
        }
        return false
    }

    /// The absolute paths `ldd` printed: each `name => /path (addr)` and the loader's `/path (addr)` line.
    /// Throws naming the first library the loader could not find.
    public static func parseLdd(_ output: String, binary: String) throws(ImageError) -> [String] {
        var paths: [String] = []
        for raw in output.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if let arrow = line.range(of: "=>") {
                let rest = line[arrow.upperBound...].trimmingCharacters(in: .whitespaces)
                if rest.hasPrefix("not found") {
                    throw .missingLibrary(
                        binary: binary, library: line[..<arrow.lowerBound].trimmingCharacters(in: .whitespaces))
                }
                let path = rest.split(separator: " ").first.map(String.init) ?? ""
                if path.hasPrefix("/") { paths.append(path) }
            } else if line.hasPrefix("/") {
                paths.append(String(line.split(separator: " ")[0]))
            }
        }
        return paths
    }

    /// The loader and libraries `binary` needs (empty when it is static), sorted and without duplicates.
    public static func resolve(binary: String) throws -> [String] {
        guard let handle = FileHandle(forReadingAtPath: binary) else { throw ImageError.unreadable(binary) }
        defer { try? handle.close() }
        let head = [UInt8](handle.readData(ofLength: 1 << 16))
        guard try isDynamic(elf: head) else { return [] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ldd", binary]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { throw ImageError.invalid("Cannot run ldd on '\(binary)': \(error).") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ImageError.invalid("ldd failed on '\(binary)'.") }
        return Array(Set(try parseLdd(String(decoding: data, as: UTF8.self), binary: binary))).sorted()
    }
}
