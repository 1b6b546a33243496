// An independent XAdES-BES signer for the simulator's login test: the JDK's own XML-DSig
// (javax.xml.crypto.dsig), with the XAdES signed properties built by hand.
//
// Usage: java SignXades KEY.pk8 CERT.pem IN.xml OUT.xml
// Signs IN.xml's document element with an enveloped signature: exclusive C14N, SHA-256,
// RSA-SHA256 or ECDSA-SHA256 by the key's type, a reference to the whole document and one to
// the SignedProperties (SigningTime, SigningCertificateV2 with the certificate's SHA-256).
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import javax.xml.crypto.dom.DOMStructure;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.DigestMethod;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.SignatureMethod;
import javax.xml.crypto.dsig.SignedInfo;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLObject;
import javax.xml.crypto.dsig.XMLSignature;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMSignContext;
import javax.xml.crypto.dsig.keyinfo.KeyInfo;
import javax.xml.crypto.dsig.keyinfo.KeyInfoFactory;
import javax.xml.crypto.dsig.spec.C14NMethodParameterSpec;
import javax.xml.crypto.dsig.spec.TransformParameterSpec;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

public class SignXades {
  static final String DS = XMLSignature.XMLNS;
  static final String XADES = "http://uri.etsi.org/01903/v1.3.2#";
  static final String XMLNS = "http://www.w3.org/2000/xmlns/";

  public static void main(String[] args) throws Exception {
    X509Certificate cert;
    try (var in = Files.newInputStream(Paths.get(args[1]))) {
      cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    String keyType = cert.getPublicKey().getAlgorithm();
    PrivateKey key = KeyFactory.getInstance(keyType)
        .generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(Paths.get(args[0]))));
    DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
    dbf.setNamespaceAware(true);
    Document doc = dbf.newDocumentBuilder().parse(new java.io.File(args[2]));

    String sigId = "sig-jdk";
    String spId = "signed-properties-jdk";
    Element qp = doc.createElementNS(XADES, "xades:QualifyingProperties");
    qp.setAttributeNS(XMLNS, "xmlns:xades", XADES);
    qp.setAttributeNS(XMLNS, "xmlns:ds", DS);
    qp.setAttribute("Target", "#" + sigId);
    Element sp = child(doc, qp, XADES, "xades:SignedProperties");
    sp.setAttribute("Id", spId);
    Element ssp = child(doc, sp, XADES, "xades:SignedSignatureProperties");
    child(doc, ssp, XADES, "xades:SigningTime")
        .setTextContent(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    Element certEl = child(doc, child(doc, ssp, XADES, "xades:SigningCertificateV2"), XADES, "xades:Cert");
    Element digest = child(doc, certEl, XADES, "xades:CertDigest");
    child(doc, digest, DS, "ds:DigestMethod").setAttribute("Algorithm", DigestMethod.SHA256);
    child(doc, digest, DS, "ds:DigestValue").setTextContent(Base64.getEncoder()
        .encodeToString(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded())));

    XMLSignatureFactory f = XMLSignatureFactory.getInstance("DOM");
    DigestMethod sha256 = f.newDigestMethod(DigestMethod.SHA256, null);
    Transform enveloped = f.newTransform(Transform.ENVELOPED, (TransformParameterSpec) null);
    Transform exc = f.newTransform(CanonicalizationMethod.EXCLUSIVE, (TransformParameterSpec) null);
    Reference whole = f.newReference("", sha256, List.of(enveloped, exc), null, null);
    Reference props = f.newReference("#" + spId, sha256, List.of(exc),
        "http://uri.etsi.org/01903#SignedProperties", null);
    String method = keyType.equals("EC")
        ? "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
        : SignatureMethod.RSA_SHA256;
    SignedInfo si = f.newSignedInfo(
        f.newCanonicalizationMethod(CanonicalizationMethod.EXCLUSIVE, (C14NMethodParameterSpec) null),
        f.newSignatureMethod(method, null), List.of(whole, props));
    KeyInfoFactory kif = f.getKeyInfoFactory();
    KeyInfo ki = kif.newKeyInfo(List.of(kif.newX509Data(List.of(cert))));
    XMLObject object = f.newXMLObject(Collections.singletonList(new DOMStructure(qp)), null, null, null);
    XMLSignature signature = f.newXMLSignature(si, ki, List.of(object), sigId, null);
    DOMSignContext ctx = new DOMSignContext(key, doc.getDocumentElement());
    ctx.setDefaultNamespacePrefix("ds");
    ctx.setIdAttributeNS(sp, null, "Id");
    signature.sign(ctx);
    TransformerFactory.newInstance().newTransformer()
        .transform(new DOMSource(doc), new StreamResult(new java.io.File(args[3])));
  }

  static Element child(Document doc, Element parent, String ns, String name) {
    Element e = doc.createElementNS(ns, name);
    parent.appendChild(e);
    return e;
  }
}
