// LibreOffice as the judge of a DOCX redline: one headless soffice process
// opens every file twice, accepts all tracked changes in one copy and rejects
// all in the other (the dispatcher's .uno:AcceptAllTrackedChanges and
// .uno:RejectAllTrackedChanges, as a user would), and saves both as UTF-8
// text. A small Basic macro in a throwaway profile does the work.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';

/** The soffice binary, or undefined when LibreOffice is not installed. */
export const soffice: string | undefined = ['soffice', 'libreoffice'].find((cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0);

const MACRO = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Function Prop(name As String, value) As Object
  Dim p As New com.sun.star.beans.PropertyValue
  p.Name = name
  p.Value = value
  Prop = p
End Function

Sub Resolve(path As String, command As String, target As String)
  Dim doc As Object
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(path), "_blank", 0, Array(Prop("Hidden", True)))
  Dim helper As Object
  helper = createUnoService("com.sun.star.frame.DispatchHelper")
  helper.executeDispatch(doc.getCurrentController().getFrame(), command, "", 0, Array())
  doc.storeToURL(ConvertToURL(target), Array(Prop("FilterName", "Text (encoded)"), Prop("FilterOptions", "UTF8,LF")))
  doc.close(True)
End Sub

Sub Run(list As String)
  Dim n As Integer
  Dim path As String
  n = FreeFile()
  Open list For Input As #n
  Do While Not EOF(n)
    Line Input #n, path
    If path &lt;&gt; "" Then
      Resolve(path, ".uno:AcceptAllTrackedChanges", path &amp; ".accept.txt")
      Resolve(path, ".uno:RejectAllTrackedChanges", path &amp; ".reject.txt")
    End If
  Loop
  Close #n
  StarDesktop.terminate()
End Sub
</script:module>
`;

/**
 * The same DOCX without its comments. Headless LibreOffice 7.4 aborts when it
 * lays out comment windows during a dispatch; comments hold no text of the
 * document, so accepting and rejecting are judged the same without them.
 */
async function withoutComments(docx: Uint8Array): Promise<Buffer> {
  const zip = await JSZip.loadAsync(docx);
  const file = zip.file('word/document.xml');
  if (file) {
    const xml = (await file.async('string'))
      .replace(/<w:commentRange(?:Start|End) [^>]*\/>/g, '')
      .replace(/<w:r>(?:<w:rPr>(?:(?!<\/w:rPr>).)*<\/w:rPr>)?<w:commentReference [^>]*\/><\/w:r>/g, '');
    zip.file('word/document.xml', xml);
  }
  return zip.generateAsync({ type: 'nodebuffer' });
}

export interface Resolved {
  accept: string;
  reject: string;
}

/** Accept all and reject all of each DOCX (given as bytes by name), in one LibreOffice run. */
export async function resolveTrackedChanges(files: ReadonlyMap<string, Uint8Array>): Promise<Map<string, Resolved>> {
  if (!soffice) throw new Error('LibreOffice (soffice) is not installed');
  const work = mkdtempSync(join(tmpdir(), 'accord-lo-'));
  try {
    const profile = join(work, 'profile');
    const env = `-env:UserInstallation=file://${profile}`;
    execFileSync(soffice, [env, '--headless', '--terminate_after_init'], { stdio: 'pipe', timeout: 120_000 });
    const basic = join(profile, 'user', 'basic', 'Standard');
    mkdirSync(basic, { recursive: true });
    writeFileSync(join(basic, 'Module1.xba'), MACRO);
    const paths = new Map<string, string>();
    let i = 0;
    for (const [name, docx] of files) {
      const path = join(work, `f${i++}.docx`);
      writeFileSync(path, await withoutComments(docx));
      paths.set(name, path);
    }
    const list = join(work, 'list.txt');
    writeFileSync(list, `${[...paths.values()].join('\n')}\n`);
    execFileSync(soffice, [env, '--headless', '--norestore', `macro:///Standard.Module1.Run("${list}")`], { stdio: 'pipe', timeout: 300_000 });
    const out = new Map<string, Resolved>();
    for (const [name, path] of paths) {
      out.set(name, { accept: readFileSync(`${path}.accept.txt`, 'utf8'), reject: readFileSync(`${path}.reject.txt`, 'utf8') });
    }
    return out;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
