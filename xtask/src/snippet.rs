//! `cargo xtask snippet`: prints the connection code for one library and identity, for
//! documentation pipelines; and the TypeScript type-check of every Node.js snippet against the
//! real npm packages, which `cargo xtask test` runs.

use std::fs;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};
use keyless_core::snippets::{Cloud, IdentityKind, Language, Library, SnippetRequest, generate};

/// Runs `cargo xtask snippet` with the arguments that follow the verb.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    if args.iter().any(|a| a == "--help" || a == "-h") {
        print!("{}", help());
        return Ok(());
    }
    let request = parse(args)?;
    let snippet = generate(&request)?;
    print!("{}", snippet.code);
    Ok(())
}

fn help() -> String {
    let list = |items: Vec<(&str, &str)>| {
        items
            .iter()
            .map(|(slug, label)| format!("    {slug:<20} {label}\n"))
            .collect::<String>()
    };
    format!(
        "usage: cargo xtask snippet --lib LIB --identity KIND --host HOST [--port N] [--cloud CLOUD]\n\
         \x20                         [--client-id ID] [--object-id ID] [--tenant-id ID] [--authority URL]\n\
         Prints the connection code alone on stdout.\n\n\
         LIB:\n{}\nKIND:\n{}\nCLOUD (default public):\n{}\n\
         --port       defaults to 10000 for *.redis.azure.net hosts, else 6380\n\
         --client-id  user-assigned managed identity (all libraries but go-redis) and service principal\n\
         --object-id  user-assigned managed identity with go-redis\n\
         --tenant-id  service principal\n\
         --authority  an https authority host replacing the cloud's (sovereign clouds, local emulators)\n",
        list(Library::ALL.iter().map(|l| (l.slug(), l.label())).collect()),
        list(
            IdentityKind::ALL
                .iter()
                .map(|i| (i.slug(), i.label()))
                .collect()
        ),
        list(Cloud::ALL.iter().map(|c| (c.slug(), c.label())).collect()),
    )
}

/// Reads `--flag value` pairs; every flag is known and given at most once.
fn parse(args: &[String]) -> anyhow::Result<SnippetRequest> {
    let (mut library, mut identity, mut host) = (None, None, None);
    let mut request = SnippetRequest::new(Library::RedisPy, IdentityKind::SystemAssigned, "");
    let mut pairs = args.iter();
    while let Some(flag) = pairs.next() {
        let value = pairs
            .next()
            .with_context(|| format!("{flag} needs a value"))?
            .clone();
        match flag.as_str() {
            "--lib" => library = Some(value.parse::<Library>()?),
            "--identity" => identity = Some(value.parse::<IdentityKind>()?),
            "--host" => host = Some(value),
            "--port" => {
                request.port = Some(value.parse().map_err(|_| {
                    keyless_core::snippets::SnippetError::InvalidPort {
                        port: value.clone(),
                    }
                })?)
            }
            "--cloud" => request.cloud = value.parse()?,
            "--client-id" => request.client_id = Some(value),
            "--object-id" => request.object_id = Some(value),
            "--tenant-id" => request.tenant_id = Some(value),
            "--authority" => request.custom_authority = Some(value),
            other => bail!("unknown option {other}; see cargo xtask snippet --help"),
        }
    }
    request.library = library.context("--lib is required; see --help for the list")?;
    request.identity = identity.context("--identity is required; see --help for the list")?;
    request.host = host.context("--host is required")?;
    Ok(request)
}

/// The npm packages the type-check needs, as `package.json` in the folder pins them.
const PACKAGES: [&str; 5] = [
    "redis",
    "@redis/entraid",
    "@azure/identity",
    "ioredis",
    "typescript",
];

/// Writes every TypeScript snippet variant into `xtask/snippets-typecheck/generated` and runs
/// `tsc --noEmit --strict` over them, installing the npm packages first if they are missing.
pub fn typecheck(repo_root: &Path) -> anyhow::Result<()> {
    let dir = repo_root.join("xtask/snippets-typecheck");
    if PACKAGES.iter().any(|p| {
        !dir.join("node_modules")
            .join(p)
            .join("package.json")
            .is_file()
    }) {
        eprintln!(
            "snippet typecheck: installing {} with npm ci",
            PACKAGES.join(", ")
        );
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .status()
            .context("running npm (is Node.js installed?)")?;
        if !status.success() {
            bail!("npm ci failed in {}", dir.display());
        }
    }
    let generated = dir.join("generated");
    if generated.exists() {
        fs::remove_dir_all(&generated)?;
    }
    fs::create_dir_all(&generated)?;
    let variants = typescript_variants()?;
    for (name, code) in &variants {
        fs::write(generated.join(format!("{name}.ts")), code)?;
    }
    eprintln!(
        "snippet typecheck: tsc --noEmit --strict over {} variants",
        variants.len()
    );
    let output = Command::new(dir.join("node_modules/.bin/tsc"))
        .args(["--noEmit", "--strict", "-p", "."])
        .current_dir(&dir)
        .output()
        .context("running tsc")?;
    if !output.status.success() {
        bail!(
            "tsc found errors in the generated snippets:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(())
}

/// Every TypeScript library × identity × cloud, plus a custom authority, named for its file.
fn typescript_variants() -> anyhow::Result<Vec<(String, String)>> {
    const ID: &str = "00000000-0000-4000-8000-000000000001";
    let mut variants = Vec::new();
    let typescript = Library::ALL
        .iter()
        .filter(|l| l.language() == Language::TypeScript);
    for &library in typescript {
        for &identity in IdentityKind::ALL {
            for signer in Cloud::ALL.iter().map(|&c| (c.slug(), c, None)).chain([(
                "custom",
                Cloud::Public,
                Some("https://127.0.0.1:8443"),
            )]) {
                let (slug, cloud, authority) = signer;
                let host = format!("contoso{}", cloud.host_suffixes()[0]);
                let request = SnippetRequest {
                    cloud,
                    custom_authority: authority.map(String::from),
                    client_id: Some(ID.into()),
                    object_id: Some(ID.into()),
                    tenant_id: Some(ID.into()),
                    ..SnippetRequest::new(library, identity, host)
                };
                let name = format!("{}.{}.{slug}", library.slug(), identity.slug());
                variants.push((name, generate(&request)?.code));
            }
        }
    }
    Ok(variants)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn parses_every_flag() {
        let request = parse(&args(
            "--lib go-redis --identity user-assigned --host contoso.redis.cache.chinacloudapi.cn --port 6390 \
             --cloud china --object-id 00000000-0000-4000-8000-000000000001",
        ))
        .unwrap();
        assert_eq!(request.library, Library::GoRedis);
        assert_eq!(request.identity, IdentityKind::UserAssigned);
        assert_eq!(request.cloud, Cloud::China);
        assert_eq!(request.port, Some(6390));
        assert_eq!(
            request.object_id.as_deref(),
            Some("00000000-0000-4000-8000-000000000001")
        );
        assert!(
            generate(&request)
                .unwrap()
                .code
                .contains("00000000-0000-4000-8000-000000000001")
        );
    }

    #[test]
    fn refuses_unknown_flags_missing_values_and_missing_required_flags() {
        let error = |line: &str| parse(&args(line)).unwrap_err().to_string();
        assert!(error("--lib redis-py --colour red").contains("--colour"));
        assert!(error("--lib redis-py --host").contains("--host needs a value"));
        assert!(error("--identity system-assigned --host h").contains("--lib is required"));
        assert!(error("--lib perl").contains("redis-py"));
        assert!(
            error("--lib jedis --identity system-assigned --host h --port 70000").contains("70000")
        );
    }

    #[test]
    fn help_lists_every_library_and_identity_kind() {
        let text = help();
        for slug in Library::ALL
            .iter()
            .map(|l| l.slug())
            .chain(IdentityKind::ALL.iter().map(|i| i.slug()))
        {
            assert!(text.contains(slug), "{slug}");
        }
    }

    #[test]
    fn typescript_variants_cover_both_node_libraries_in_every_cloud() {
        let variants = typescript_variants().unwrap();
        assert_eq!(
            variants.len(),
            2 * IdentityKind::ALL.len() * (Cloud::ALL.len() + 1)
        );
        assert!(
            variants
                .iter()
                .any(|(name, _)| name == "ioredis.service-principal.custom")
        );
    }
}
