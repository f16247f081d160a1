package org.cardinaldm.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * TNDS documents of the tree (OMA-TS-DM_TNDS-V1_2; digest 7): {@link TreeSerialization} with the
 * encoding done, for callers that deal in bytes and media types (the shell's export and import
 * files, a session that carries TNDS as opaque data). Offered by an optional bundle; when it is
 * absent the tree itself still works.
 */
@ProviderType
public interface TndsDocuments {
    /** TNDS as XML. */
    String XML = "application/vnd.syncml.dmtnds+xml";
    /** TNDS as WBXML. */
    String WBXML = "application/vnd.syncml.dmtnds+wbxml";

    /** @return the media types this service reads and writes */
    List<String> mediaTypes();

    /**
     * {@code Get <uri>?list=TNDS…} as a document: one top-level Node (the node at {@code uri}, with
     * its parent's URI as Path).
     *
     * @param access a view of the tree for the principal
     * @param uri the top of the subtree
     * @param form a {@link ListForm.Kind#TNDS} form
     * @param mediaType one of {@link #mediaTypes()}
     * @return the document
     * @throws DmException as {@link TreeSerialization#list}; 406 for a form that is not TNDS; 415
     *     for another media type or a value the encoding cannot carry
     */
    byte[] export(TreeAccess access, NodeUri uri, ListForm form, String mediaType) throws DmException;

    /**
     * Add with a TNDS document, as {@link TreeSerialization#add}.
     *
     * @param access a view of the tree, or an Atomic of it
     * @param target the command's target
     * @param document the TNDS document
     * @param mediaType its media type
     * @throws DmException 415 for another media type, a VerDTD other than 1.2 or an unknown Format;
     *     400 for a malformed document; otherwise as {@link TreeSerialization#add}
     */
    void add(TreeAccess access, NodeUri target, byte[] document, String mediaType) throws DmException;

    /**
     * Replace with a TNDS document, as {@link TreeSerialization#replace}.
     *
     * @param access a view of the tree, or an Atomic of it
     * @param target the command's target
     * @param document the TNDS document
     * @param mediaType its media type
     * @throws DmException as {@link #add}, and as {@link TreeSerialization#replace}
     */
    void replace(TreeAccess access, NodeUri target, byte[] document, String mediaType) throws DmException;
}
