// Independent verifier for the interop tests: the JDK's javax.xml.crypto.dsig (a Santuario
// fork). Usage: java -cp DIR Verify [--legacy] FILE...
// Verifies every ds:Signature in each file with the key from its KeyInfo (X509Certificate or
// KeyValue); elements' Id/ID/id attributes are registered as XML IDs. Prints one line per
// file, "OK FILE" or "FAIL FILE: reason", and exits non-zero if any failed.
import java.io.File;
import java.security.Key;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.xml.crypto.AlgorithmMethod;
import javax.xml.crypto.KeySelector;
import javax.xml.crypto.KeySelectorException;
import javax.xml.crypto.KeySelectorResult;
import javax.xml.crypto.XMLCryptoContext;
import javax.xml.crypto.XMLStructure;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.XMLSignature;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMValidateContext;
import javax.xml.crypto.dsig.keyinfo.KeyInfo;
import javax.xml.crypto.dsig.keyinfo.KeyValue;
import javax.xml.crypto.dsig.keyinfo.X509Data;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

public class Verify {
    static class FromKeyInfo extends KeySelector {
        public KeySelectorResult select(KeyInfo keyInfo, KeySelector.Purpose purpose,
                AlgorithmMethod method, XMLCryptoContext context) throws KeySelectorException {
            if (keyInfo == null) throw new KeySelectorException("no KeyInfo");
            for (Object item : keyInfo.getContent()) {
                if (item instanceof X509Data) {
                    for (Object x : ((X509Data) item).getContent()) {
                        if (x instanceof X509Certificate) {
                            final PublicKey k = ((X509Certificate) x).getPublicKey();
                            return () -> k;
                        }
                    }
                } else if (item instanceof KeyValue) {
                    try {
                        final PublicKey k = ((KeyValue) item).getPublicKey();
                        return () -> k;
                    } catch (Exception e) {
                        throw new KeySelectorException(e);
                    }
                }
            }
            throw new KeySelectorException("no usable key in KeyInfo");
        }
    }

    static void registerIds(Element e) {
        for (String name : new String[] {"Id", "ID", "id"}) {
            if (e.hasAttribute(name)) e.setIdAttribute(name, true);
        }
        NodeList children = e.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element) registerIds((Element) children.item(i));
        }
    }

    public static void main(String[] args) throws Exception {
        boolean legacy = false;
        int failed = 0;
        for (String arg : args) {
            if (arg.equals("--legacy")) { legacy = true; continue; }
            try {
                DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
                dbf.setNamespaceAware(true);
                Document doc = dbf.newDocumentBuilder().parse(new File(arg));
                registerIds(doc.getDocumentElement());
                NodeList sigs = doc.getElementsByTagNameNS(XMLSignature.XMLNS, "Signature");
                if (sigs.getLength() == 0) throw new Exception("no Signature");
                XMLSignatureFactory fac = XMLSignatureFactory.getInstance("DOM");
                for (int i = 0; i < sigs.getLength(); i++) {
                    DOMValidateContext ctx = new DOMValidateContext(new FromKeyInfo(), sigs.item(i));
                    if (legacy) ctx.setProperty("org.jcp.xml.dsig.secureValidation", Boolean.FALSE);
                    XMLSignature sig = fac.unmarshalXMLSignature(ctx);
                    if (!sig.validate(ctx)) {
                        StringBuilder why = new StringBuilder("signature value "
                            + sig.getSignatureValue().validate(ctx));
                        for (Object r : sig.getSignedInfo().getReferences()) {
                            Reference ref = (Reference) r;
                            why.append("; reference '").append(ref.getURI()).append("' ")
                               .append(ref.validate(ctx));
                        }
                        throw new Exception(why.toString());
                    }
                }
                System.out.println("OK " + arg);
            } catch (Exception e) {
                failed++;
                System.out.println("FAIL " + arg + ": " + e);
            }
        }
        System.exit(failed == 0 ? 0 : 1);
    }
}
