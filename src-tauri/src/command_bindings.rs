//! The UI's typed command calls, generated from the commands themselves: `export_bindings_commands`
//! (run by `make bindings` beside ts-rs's exports, checked by `make test-bindings`) reads each
//! command of `command_list.rs` in `commands.rs` and writes `commands.ts`, one function a command
//! with the argument names Tauri expects (camelCase) and the types ts-rs generated. A command
//! whose signature changes changes its call, and the UI's type check sees it.

use std::collections::BTreeSet;
use std::fmt::Write;

use syn::{FnArg, GenericArgument, Item, PathArguments, ReturnType, Type};

macro_rules! names {
    ($($command:ident),* $(,)?) => {
        &[$(stringify!($command)),*]
    };
}

const COMMANDS: &[&str] = keyward_commands!(names);

/// Arguments Tauri fills in itself: the page does not send them.
const INJECTED: [&str; 4] = ["State", "AppHandle", "Window", "WebviewWindow"];

/// Types whose TypeScript is not a generated binding of the same name.
fn named(name: &str) -> Option<&'static str> {
    Some(match name {
        "String" | "str" => "string",
        "bool" => "boolean",
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "f32" | "f64" => "number",
        // The cached object exactly as its service sent it.
        "Value" => "Record<string, unknown>",
        // Serialized as the plaintext (reveal.rs): the one answer that carries a secret.
        "Revealed" => "string",
        _ => return None,
    })
}

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        match (c, upper) {
            ('_', _) => upper = true,
            (c, true) => {
                out.extend(c.to_uppercase());
                upper = false;
            }
            (c, false) => out.push(c),
        }
    }
    out
}

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(p) => p.path.segments.last(),
        Type::Reference(r) => last_segment(&r.elem),
        _ => None,
    }
}

fn type_args(segment: &syn::PathSegment) -> Vec<&Type> {
    match &segment.arguments {
        PathArguments::AngleBracketed(a) => a.args.iter().filter_map(|g| if let GenericArgument::Type(t) = g { Some(t) } else { None }).collect(),
        _ => vec![],
    }
}

fn ts(ty: &Type, imports: &mut BTreeSet<String>) -> String {
    if let Type::Tuple(t) = ty {
        assert!(t.elems.is_empty(), "a command answers a tuple: give it a named type");
        return "null".into();
    }
    let segment = last_segment(ty).expect("a command's argument or answer is a named type");
    let name = segment.ident.to_string();
    let args = type_args(segment);
    match name.as_str() {
        "Option" => format!("{} | null", ts(args[0], imports)),
        "Vec" => format!("{}[]", ts(args[0], imports)),
        "Result" => ts(args[0], imports),
        _ => named(&name).map(String::from).unwrap_or_else(|| {
            imports.insert(name.clone());
            name
        }),
    }
}

fn docs(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s.value().trim().to_string()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// `export const NAME = 'name';` for each `NAME_EVENT` of `events` (the text of events.rs).
fn events(events: &str) -> String {
    let file = syn::parse_file(events).expect("events.rs parses");
    let mut out = String::new();
    for item in &file.items {
        let Item::Const(c) = item else { continue };
        let Some(name) = c.ident.to_string().strip_suffix("_EVENT").map(String::from) else { continue };
        let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(value), .. }) = &*c.expr else { panic!("{name}: not a string") };
        let _ = writeln!(out, "/** {} */\nexport const {name} = '{}';", docs(&c.attrs).join(" "), value.value());
    }
    out
}

/// `commands.ts` for the commands of `source` (the text of commands.rs), in the list's order,
/// and the event names of `event_source` (events.rs).
pub fn generate(source: &str, event_source: &str) -> String {
    let file = syn::parse_file(source).expect("commands.rs parses");
    let functions: Vec<&syn::ItemFn> = file.items.iter().filter_map(|i| if let Item::Fn(f) = i { Some(f) } else { None }).collect();
    let mut imports = BTreeSet::new();
    let mut body = String::new();
    for command in COMMANDS {
        let f = functions.iter().find(|f| f.sig.ident == command).unwrap_or_else(|| panic!("{command} is listed but not in commands.rs"));
        let mut params = Vec::new();
        let mut sent = Vec::new();
        for input in &f.sig.inputs {
            let FnArg::Typed(arg) = input else { panic!("{command} takes self") };
            let injected = last_segment(&arg.ty).is_some_and(|s| INJECTED.contains(&s.ident.to_string().as_str()));
            if injected {
                continue;
            }
            let syn::Pat::Ident(ident) = &*arg.pat else { panic!("{command}: an argument is a pattern") };
            let name = camel(&ident.ident.to_string());
            params.push(format!("{name}: {}", ts(&arg.ty, &mut imports)));
            sent.push(name);
        }
        let answer = match &f.sig.output {
            ReturnType::Default => "null".to_string(),
            ReturnType::Type(_, ty) => ts(ty, &mut imports),
        };
        let doc = docs(&f.attrs);
        if !doc.is_empty() {
            let _ = writeln!(body, "/** {} */", doc.join(" "));
        }
        let args = if sent.is_empty() { String::new() } else { format!(", {{ {} }}", sent.join(", ")) };
        let _ = writeln!(body, "export const {} = ({}) => call<{answer}>('{command}'{args});", camel(command), params.join(", "));
    }
    let mut out = String::from(
        "// Generated from src-tauri/src/commands.rs by `make bindings` (command_bindings.rs). Do not edit.\n\nimport { call } from '../call';\n",
    );
    for name in &imports {
        let _ = writeln!(out, "import type {{ {name} }} from './{name}';");
    }
    out.push('\n');
    out.push_str(&body);
    out.push('\n');
    out.push_str(&events(event_source));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_bindings_commands() {
        let dir = std::env::var("TS_RS_EXPORT_DIR").expect("TS_RS_EXPORT_DIR (set in .cargo/config.toml)");
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("commands.ts"), generate(include_str!("commands.rs"), include_str!("events.rs"))).unwrap();
    }

    #[test]
    fn a_call_names_its_arguments_as_tauri_expects_and_skips_what_tauri_fills_in() {
        let source = r#"
            /// Mints it.
            #[tauri::command]
            pub async fn create_key<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>, account_id: String, request: NewKey) -> Result<Option<Vec<MintedKey>>, Error> { todo!() }
        "#;
        let mut imports = BTreeSet::new();
        let f: syn::ItemFn = syn::parse_str(source.trim()).unwrap();
        let ReturnType::Type(_, ty) = &f.sig.output else { panic!() };
        assert_eq!(ts(ty, &mut imports), "MintedKey[] | null");
        assert_eq!(imports.into_iter().collect::<Vec<_>>(), ["MintedKey"]);
        assert_eq!(camel("as_env_line"), "asEnvLine");
        let every = generate(include_str!("commands.rs"), include_str!("events.rs"));
        assert!(every
            .contains("export const copySecret = (revealId: string, asEnvLine: boolean) => call<number>('copy_secret', { revealId, asEnvLine });"));
        assert!(every.contains("export const closeReveal = (revealId: string) => call<null>('close_reveal', { revealId });"));
        assert!(every.contains("export const hostPresets = () => call<HostPreset[]>('host_presets');"));
        assert!(!every.contains("state:") && !every.contains("app:") && !every.contains("window:"));
        assert_eq!(every.matches(" => call<").count(), COMMANDS.len());
        assert!(every.contains("export const REPLACE_PROGRESS = 'replace-progress';"));
    }
}
